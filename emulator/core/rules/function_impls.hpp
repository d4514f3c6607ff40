#pragma once
// Declarations of the built-in function implementations (functions_*.cpp), for the table in
// functions.cpp. Every one returns Undefined for arguments it cannot convert, as AWS does.
#include "emulator/core/rules/functions.hpp"

namespace lambkin::rules::detail {

#define LAMBKIN_RULES_FN(name) value fn_##name(std::span<const value> a, const call_context& c)

// functions_context.cpp
LAMBKIN_RULES_FN(accountid);
LAMBKIN_RULES_FN(clientid);
LAMBKIN_RULES_FN(principal);
LAMBKIN_RULES_FN(timestamp);
LAMBKIN_RULES_FN(topic);
LAMBKIN_RULES_FN(traceid);
LAMBKIN_RULES_FN(newuuid);
LAMBKIN_RULES_FN(rand);
LAMBKIN_RULES_FN(sql_version);
LAMBKIN_RULES_FN(get_mqtt_property);
LAMBKIN_RULES_FN(get_user_properties);

// functions_string.cpp
LAMBKIN_RULES_FN(upper);
LAMBKIN_RULES_FN(lower);
LAMBKIN_RULES_FN(trim);
LAMBKIN_RULES_FN(ltrim);
LAMBKIN_RULES_FN(rtrim);
LAMBKIN_RULES_FN(length);
LAMBKIN_RULES_FN(numbytes);
LAMBKIN_RULES_FN(substring);
LAMBKIN_RULES_FN(indexof);
LAMBKIN_RULES_FN(startswith);
LAMBKIN_RULES_FN(endswith);
LAMBKIN_RULES_FN(lpad);
LAMBKIN_RULES_FN(rpad);
LAMBKIN_RULES_FN(replace);
LAMBKIN_RULES_FN(chr);
LAMBKIN_RULES_FN(concat);

// functions_regex.cpp
LAMBKIN_RULES_FN(regexp_matches);
LAMBKIN_RULES_FN(regexp_replace);
LAMBKIN_RULES_FN(regexp_substr);

// functions_math.cpp
LAMBKIN_RULES_FN(abs);
LAMBKIN_RULES_FN(ceil);
LAMBKIN_RULES_FN(floor);
LAMBKIN_RULES_FN(round);
LAMBKIN_RULES_FN(sign);
LAMBKIN_RULES_FN(mod);
LAMBKIN_RULES_FN(trunc);
LAMBKIN_RULES_FN(nanvl);
LAMBKIN_RULES_FN(bitand);
LAMBKIN_RULES_FN(bitor);
LAMBKIN_RULES_FN(bitxor);
LAMBKIN_RULES_FN(bitnot);
LAMBKIN_RULES_FN(sqrt);
LAMBKIN_RULES_FN(power);
LAMBKIN_RULES_FN(exp);
LAMBKIN_RULES_FN(ln);
LAMBKIN_RULES_FN(log);
LAMBKIN_RULES_FN(sin);
LAMBKIN_RULES_FN(cos);
LAMBKIN_RULES_FN(tan);
LAMBKIN_RULES_FN(asin);
LAMBKIN_RULES_FN(acos);
LAMBKIN_RULES_FN(atan);
LAMBKIN_RULES_FN(atan2);
LAMBKIN_RULES_FN(sinh);
LAMBKIN_RULES_FN(cosh);
LAMBKIN_RULES_FN(tanh);

// functions_collection.cpp
LAMBKIN_RULES_FN(get);
LAMBKIN_RULES_FN(transform);
LAMBKIN_RULES_FN(isnull);
LAMBKIN_RULES_FN(isundefined);
LAMBKIN_RULES_FN(encode);
LAMBKIN_RULES_FN(decode);
LAMBKIN_RULES_FN(md2);
LAMBKIN_RULES_FN(md5);
LAMBKIN_RULES_FN(sha1);
LAMBKIN_RULES_FN(sha224);
LAMBKIN_RULES_FN(sha256);
LAMBKIN_RULES_FN(sha384);
LAMBKIN_RULES_FN(sha512);

// functions_time.cpp
LAMBKIN_RULES_FN(parse_time);
LAMBKIN_RULES_FN(time_to_epoch);

#undef LAMBKIN_RULES_FN

/// UTF-8 text as code points (strings are indexed by character, not byte).
std::u32string to_code_points(std::string_view utf8);
std::string to_utf8(std::u32string_view cps);

}  // namespace lambkin::rules::detail
