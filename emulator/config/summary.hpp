#pragma once
// `lambkin validate TEMPLATE`: a readable account of what a loaded template will run.
//
//   Functions (2)
//     NAME              RUNTIME     HANDLER        MEMORY  TIMEOUT  RESERVED  PROVISIONED
//     StoreTemperature  nodejs20.x  index.handler  256 MB  10s      -         -
//   Rules (1)
//     NAME                     SQL VERSION  SQL, then → ACTIONS
//     StoreTemperatureReading  2016-03-23   SELECT temperature, … FROM 'things/+/temperature'
//                                              → lambda StoreTemperature
//   Routes (3)
//     METHOD  PATH  FUNCTION  API
//   Tables (1)
//     NAME  PARTITION KEY  SORT KEY  BILLING
//
// Sections without entries are left out; columns are aligned.
#include "lambkin/config.hpp"

#include <string>

namespace lambkin::config {

/// The summary above, ending with a newline.
std::string format_summary(const template_config& t);

/// `10m`, `90s`, `1h`, `250ms`: the largest unit that divides `d` exactly.
std::string format_duration(duration d);

}  // namespace lambkin::config
