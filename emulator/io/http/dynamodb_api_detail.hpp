#pragma once
// Internal to the DynamoDB API handler: the context each operation gets, shared parameter
// readers, and the operations themselves (one file per group: tables, items, reads, batches,
// transactions).
#include "emulator/core/dynamo/expression_parser.hpp"
#include "emulator/core/dynamo/item_writes.hpp"
#include "emulator/core/dynamo/result.hpp"
#include "emulator/io/store/table_store.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace lambkin::io::http::dynamodb {

namespace json = boost::json;
using op_result = dynamo::result<json::object>;

struct op_context {
  store::table_store& store;
  const json::object& body;
  std::int64_t now_s = 0, now_ms = 0;
  /// Extra members for an error answer (`Item`, `CancellationReasons`).
  json::object error_extra;
};

// ---- parameters ----
std::string string_param(const json::object& o, std::string_view key);
/// The table named by `o[key]`; ResourceNotFoundException "Requested resource not found".
dynamo::result<const store::stored_table*> table_param(op_context& c, const json::object& o, std::string_view key = "TableName");
/// ExpressionAttributeNames and ExpressionAttributeValues of `o`.
dynamo::result<dynamo::expression_inputs> expression_inputs_of(const json::object& o);
/// Parses `o[key]` as a condition if present.
std::optional<dynamo::dynamo_error> optional_condition(const json::object& o, std::string_view key,
                                                      dynamo::expression_inputs& in, std::optional<dynamo::condition>& out);
std::optional<dynamo::dynamo_error> optional_projection(const json::object& o, dynamo::expression_inputs& in,
                                                       std::optional<dynamo::projection>& out);
/// A validated `Key` parameter.
dynamo::result<dynamo::item> key_param(const store::stored_table& t, const json::object& o);
/// Refuses the legacy parameters (Expected, AttributeUpdates, KeyConditions…) lambkin does not emulate.
std::optional<dynamo::dynamo_error> refuse_legacy(const json::object& o);
dynamo::dynamo_error not_found();
dynamo::dynamo_error missing(std::string_view member);

// ---- writes: PutItem, UpdateItem, DeleteItem and the transaction forms (plus ConditionCheck) ----
struct parsed_write {
  enum class kind { put, update, remove, check };
  kind k = kind::put;
  const store::stored_table* table = nullptr;
  dynamo::item item;  // put: the item; others: the key
  dynamo::encoded_key key;
  std::optional<dynamo::condition> cond;
  std::optional<dynamo::update_expression> update;
  dynamo::return_values rv = dynamo::return_values::none;
  /// ReturnValuesOnConditionCheckFailure ALL_OLD.
  bool old_on_failure = false;
};
/// Reads and validates one write (expressions parsed, unused names/values refused).
dynamo::result<parsed_write> parse_write(op_context& c, const json::object& o, parsed_write::kind k);
/// Decides the write against the stored item (read here) and stores the result; returns the plan
/// (its `returned` attributes). On a failed condition with `old_on_failure`, `failed_item` gets
/// the stored item. Runs inside the caller's transaction.
dynamo::result<dynamo::write_plan> execute_write(op_context& c, const parsed_write& w,
                                                 std::optional<dynamo::item>* failed_item = nullptr);
/// Decides without storing (transactions decide every write before storing any).
dynamo::result<dynamo::write_plan> decide_write(op_context& c, const parsed_write& w, const dynamo::item* current);
void store_write(op_context& c, const parsed_write& w, const dynamo::write_plan& plan);

// ---- operations ----
op_result create_table(op_context& c);
op_result delete_table(op_context& c);
op_result describe_table(op_context& c);
op_result list_tables(op_context& c);
op_result update_time_to_live(op_context& c);
op_result describe_time_to_live(op_context& c);
op_result put_item(op_context& c);
op_result get_item(op_context& c);
op_result delete_item(op_context& c);
op_result update_item(op_context& c);
op_result query(op_context& c);
op_result scan(op_context& c);
op_result batch_write_item(op_context& c);
op_result batch_get_item(op_context& c);
op_result transact_write_items(op_context& c);
op_result transact_get_items(op_context& c);

/// TableDescription of a stored table (status ACTIVE unless given).
json::object table_description(const store::table_store& s, const store::stored_table& t, std::string_view status = "ACTIVE");

}  // namespace lambkin::io::http::dynamodb
