#ifndef SCANTRACE_SERVICES_BUILTIN_H
#define SCANTRACE_SERVICES_BUILTIN_H

#include <stdint.h>

#define SERVICES_BUILTIN_TCP_COUNT 1000

typedef struct service_entry {
    uint16_t port;
    const char *name;
} service_entry;

extern const service_entry services_builtin_tcp[SERVICES_BUILTIN_TCP_COUNT];

#endif
