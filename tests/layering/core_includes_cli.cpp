// Must not compile: no core layer can see the command line.
#include "cli/commands.h"
