// Must not compile: the machine layer sits below the monitors.
#include "monitors/monitor.h"
