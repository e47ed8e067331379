// Must not compile: network links nothing of ringsim, not even the machine.
#include "machine/machine.h"
