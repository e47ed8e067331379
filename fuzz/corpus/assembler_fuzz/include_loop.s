        .include "a.inc"
@@
        .include "b.inc"
@@
        .include "lib/c.inc"
@@
        .include "../a.inc"
