// Must compile: the probe itself works (a layer sees every layer below it).
#include "cpu-model/cpu.h"
#include "lesson/explain.h"
#include "machine/events.h"
#include "monitors/monitor.h"
#include "report/compare.h"
#include "run/session.h"
#include "scenario/scenario.h"
