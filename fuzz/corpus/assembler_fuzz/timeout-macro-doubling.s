        .macro  REC n
        .if \( > 0
        addi,  r1, r1, \n
        REC \n   REC \n - 1
        d \name\()_end
        .endm
      ! REC 6
        DEF block.endif
        .endm
        .m
   ея   LOOme
\name\()_end:
        .word \name\()_end
        .endm
        REC 6
        
        .macro  LOOP
        LOOP
        .endm
   ея   LOOP
