#include "emulator/core/rules/functions.hpp"

#include "emulator/core/rules/function_impls.hpp"
#include "emulator/core/rules/lexer.hpp"

#include <array>

namespace lambkin::rules::detail {
namespace {

constexpr int any = -1;

// name, min, max, since 2016-03-23, external, raw `*`, implementation
const std::array functions = {
    // context
    function_def{"accountid", 0, 0, false, false, false, fn_accountid},
    function_def{"clientid", 0, 0, false, false, false, fn_clientid},
    function_def{"principal", 0, 0, false, false, false, fn_principal},
    function_def{"timestamp", 0, 0, false, false, false, fn_timestamp},
    function_def{"topic", 0, 1, false, false, false, fn_topic},
    function_def{"traceid", 0, 0, false, false, false, fn_traceid},
    function_def{"newuuid", 0, 0, false, false, false, fn_newuuid},
    function_def{"rand", 0, 0, false, false, false, fn_rand},
    function_def{"sql_version", 0, 0, false, false, false, fn_sql_version},
    function_def{"get_mqtt_property", 1, 1, true, false, false, fn_get_mqtt_property},
    function_def{"get_user_properties", 1, 1, true, false, false, fn_get_user_properties},
    // strings
    function_def{"upper", 1, 1, false, false, false, fn_upper},
    function_def{"lower", 1, 1, false, false, false, fn_lower},
    function_def{"trim", 1, 1, false, false, false, fn_trim},
    function_def{"ltrim", 1, 1, false, false, false, fn_ltrim},
    function_def{"rtrim", 1, 1, false, false, false, fn_rtrim},
    function_def{"length", 1, 1, true, false, false, fn_length},
    function_def{"numbytes", 1, 1, true, false, false, fn_numbytes},
    function_def{"substring", 2, 3, false, false, false, fn_substring},
    function_def{"indexof", 2, 2, true, false, false, fn_indexof},
    function_def{"startswith", 2, 2, false, false, false, fn_startswith},
    function_def{"endswith", 2, 2, false, false, false, fn_endswith},
    function_def{"lpad", 2, 2, false, false, false, fn_lpad},
    function_def{"rpad", 2, 2, false, false, false, fn_rpad},
    function_def{"replace", 3, 3, false, false, false, fn_replace},
    function_def{"chr", 1, 1, false, false, false, fn_chr},
    function_def{"concat", 0, any, false, false, false, fn_concat},
    function_def{"regexp_matches", 2, 2, false, false, false, fn_regexp_matches},
    function_def{"regexp_replace", 3, 3, false, false, false, fn_regexp_replace},
    function_def{"regexp_substr", 2, 2, false, false, false, fn_regexp_substr},
    // math
    function_def{"abs", 1, 1, false, false, false, fn_abs},
    function_def{"ceil", 1, 1, false, false, false, fn_ceil},
    function_def{"floor", 1, 1, false, false, false, fn_floor},
    function_def{"round", 1, 1, false, false, false, fn_round},
    function_def{"sign", 1, 1, false, false, false, fn_sign},
    function_def{"mod", 2, 2, false, false, false, fn_mod},
    function_def{"remainder", 2, 2, false, false, false, fn_mod},
    function_def{"trunc", 2, 2, false, false, false, fn_trunc},
    function_def{"nanvl", 2, 2, false, false, false, fn_nanvl},
    function_def{"bitand", 2, 2, false, false, false, fn_bitand},
    function_def{"bitor", 2, 2, false, false, false, fn_bitor},
    function_def{"bitxor", 2, 2, false, false, false, fn_bitxor},
    function_def{"bitnot", 1, 1, false, false, false, fn_bitnot},
    function_def{"sqrt", 1, 1, false, false, false, fn_sqrt},
    function_def{"power", 2, 2, false, false, false, fn_power},
    function_def{"exp", 1, 1, false, false, false, fn_exp},
    function_def{"ln", 1, 1, false, false, false, fn_ln},
    function_def{"log", 1, 1, false, false, false, fn_log},
    function_def{"sin", 1, 1, false, false, false, fn_sin},
    function_def{"cos", 1, 1, false, false, false, fn_cos},
    function_def{"tan", 1, 1, false, false, false, fn_tan},
    function_def{"asin", 1, 1, false, false, false, fn_asin},
    function_def{"acos", 1, 1, false, false, false, fn_acos},
    function_def{"atan", 1, 1, false, false, false, fn_atan},
    function_def{"atan2", 2, 2, false, false, false, fn_atan2},
    function_def{"sinh", 1, 1, false, false, false, fn_sinh},
    function_def{"cosh", 1, 1, false, false, false, fn_cosh},
    function_def{"tanh", 1, 1, false, false, false, fn_tanh},
    // collections, types, encodings, hashes
    function_def{"get", 2, 2, false, false, false, fn_get},
    function_def{"transform", 3, 3, true, false, false, fn_transform},
    function_def{"isnull", 1, 1, false, false, false, fn_isnull},
    function_def{"isundefined", 1, 1, true, false, false, fn_isundefined},
    function_def{"encode", 2, 2, true, false, true, fn_encode},
    function_def{"decode", 2, 2, true, false, false, fn_decode},
    function_def{"md2", 1, 1, false, false, false, fn_md2},
    function_def{"md5", 1, 1, false, false, false, fn_md5},
    function_def{"sha1", 1, 1, false, false, false, fn_sha1},
    function_def{"sha224", 1, 1, false, false, false, fn_sha224},
    function_def{"sha256", 1, 1, false, false, false, fn_sha256},
    function_def{"sha384", 1, 1, false, false, false, fn_sha384},
    function_def{"sha512", 1, 1, false, false, false, fn_sha512},
    // time
    function_def{"parse_time", 2, 3, true, false, false, fn_parse_time},
    function_def{"time_to_epoch", 2, 2, true, false, false, fn_time_to_epoch},
    // other AWS services: named so compile() can say they are not emulated
    function_def{"aws_lambda", 0, any, false, true, false, nullptr},
    function_def{"get_dynamodb", 0, any, true, true, false, nullptr},
    function_def{"get_secret", 0, any, false, true, false, nullptr},
    function_def{"get_thing_shadow", 0, any, true, true, false, nullptr},
    function_def{"get_registry_data", 0, any, false, true, false, nullptr},
    function_def{"machinelearning_predict", 0, any, false, true, false, nullptr},
};

}  // namespace

const function_def* find_function(std::string_view name) {
  for (const auto& f : functions)
    if (iequals(f.name, name)) return &f;
  return nullptr;
}

}  // namespace lambkin::rules::detail
