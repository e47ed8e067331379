// Must not compile: cpu-model is the bottom layer and cannot see core.
#include "machine/events.h"
