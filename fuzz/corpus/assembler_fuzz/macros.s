        .macro  REC n
        .if \n > 0
        addi r1, r1, \n
        REC \n - 1
        .endif
        .endm
        .macro  DEF name
\name\()_end:
        .word \name\()_end
        .endm
        REC 5
        DEF block
        .macro  LOOP
        LOOP
        .endm
        LOOP
