        .include "b.inc"
@@
@@
        .include "a.inc"
