#pragma once
// The dashboard's picture of the running emulator at one moment, as JSON (`GET /_lambkin/state`,
// and the `state` events of `/_lambkin/events`):
//   {"now_us","last_seq",
//    "functions":[{"name","runtime","reserved","invocations","cold_starts","warm_starts","throttles",
//                  "errors","in_flight","queued","environments":[{"id","state","init_type","version",
//                  "invocations"}]}],
//    "mqtt":{"connections","messages_in","messages_out","bytes_in","bytes_out","retained",
//            "clients":[{"client_id","ip","messages"}],"topics":[{"topic","messages"}]},
//    "rules":[{"name","sql","enabled","matched","fired","sql_errors","action_failures"}],
//    "tables":{"PutItem":3,…},
//    "recent":[{"function","request_id","version","env","cold","outcome","duration_ms",
//               "init_duration_ms","payload","response","log","t_us"}],   newest first
//    "dlq":[{"function","destination","record"}]}   failed async events, newest first, ≤ 50
// Counts are totals since start; the page derives rates from successive states.
#include <string>

namespace lambkin::io::http {
struct endpoint_services;
}

namespace lambkin::io::observe {

std::string dashboard_state_json(const http::endpoint_services& services);

}  // namespace lambkin::io::observe
