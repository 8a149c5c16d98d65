#ifndef TRIBUTARY_BUILD_INFO_H
#define TRIBUTARY_BUILD_INFO_H

/// The version a release build was stamped with: the C macro TRIBUTARY_BUILD_VERSION, a string
/// that Scripts/package passes to the compiler (`-Xcc -DTRIBUTARY_BUILD_VERSION="..."`), made
/// from `git describe`. An empty string in a build without it (`swift build`, the tests).
const char *tributary_build_version(void);

#endif
