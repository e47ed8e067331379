        .include "main.s"
