        .include "../../etc/passwd"
        .include "/etc/hostname"
