#ifndef TICKETFLOW_COPENBLAS_SHIM_H
#define TICKETFLOW_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
