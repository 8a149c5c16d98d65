#include "BuildInfo.h"

#ifndef TRIBUTARY_BUILD_VERSION
#define TRIBUTARY_BUILD_VERSION ""
#endif

const char *tributary_build_version(void) { return TRIBUTARY_BUILD_VERSION; }
