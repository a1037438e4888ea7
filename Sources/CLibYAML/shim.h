#ifndef TICKETFLOW_CLIBYAML_SHIM_H
#define TICKETFLOW_CLIBYAML_SHIM_H
#include <yaml.h>
#endif
