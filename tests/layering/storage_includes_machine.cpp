// Must not compile: storage links nothing of ringsim, not even the machine.
#include "machine/machine.h"
