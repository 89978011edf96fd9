# nothing
.equ x, 1
