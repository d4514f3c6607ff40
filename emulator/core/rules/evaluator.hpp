#pragma once
// Evaluates compiled expressions and queries against a message.
#include "emulator/core/rules/ast.hpp"

namespace lambkin::rules::detail {

/// Where names resolve: `doc` is the payload (or the current element of a nested SELECT's array);
/// `payload` is the original message.
struct scope {
  const value& doc;
  const message_context& msg;
  sql_version version;
  bool root;  // false inside a nested SELECT
};

/// Throws evaluation_failure (functions.hpp) for evaluation errors; Undefined is not an error.
value eval(const expr& e, const scope& s);

/// A query's result over one document: Undefined when WHERE is not true; for SELECT VALUE the value,
/// else an Object of the items (`*` merges the document's members).
value eval_select(const query& q, const scope& s);

/// WHERE alone (no WHERE is true): only Boolean true counts.
bool where_true(const query& q, const scope& s);
/// SELECT alone (WHERE not looked at).
value select_output(const query& q, const scope& s);

/// A nested SELECT: over each item of an array source (an Array of the results, WHERE filtering),
/// or once over an object source.
value eval_subquery(const query& q, const scope& outer);

/// The payload as a document: its JSON value, or Binary when it is not JSON.
value payload_document(const message_context& m, sql_version v);

}  // namespace lambkin::rules::detail
