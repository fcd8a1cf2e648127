#include "error.h"

G_DEFINE_QUARK(scantrace - error - quark, st_error)
