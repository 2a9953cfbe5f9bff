/* STEPCARE_API marks what the shared library exports. The library is built with hidden
 * visibility, so anything without this mark stays private to it. Shared by the C and the
 * C++ headers, hence plain C. */
#ifndef STEPCARE_EXPORT_H
#define STEPCARE_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define STEPCARE_API __attribute__((visibility("default")))
#else
#define STEPCARE_API
#endif

#endif /* STEPCARE_EXPORT_H */
