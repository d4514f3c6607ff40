#include "emulator/core/rules/evaluator.hpp"

#include "emulator/core/rules/conversions.hpp"
#include "emulator/core/rules/functions.hpp"
#include "emulator/core/rules/json.hpp"
#include "emulator/core/rules/operators.hpp"

#include <array>

namespace lambkin::rules::detail {
namespace {

constexpr std::size_t max_string_bytes = 1 << 20;

value eval_member(const value& target, const std::string& name) { return target.field(name); }

value eval_index(const value& target, const value& index) {
  // `a[i]` reads like get(a, i) for arrays; an object takes a string key.
  if (target.kind() == value_kind::object) {
    return index.kind() == value_kind::string ? target.field(index.as_string()) : value{};
  }
  if (target.kind() != value_kind::array) return {};
  auto i = to_int_floor(index);
  return i ? target.item(*i) : value{};
}

value eval_call(const expr& e, const scope& s) {
  constexpr std::size_t inline_args = 4;
  std::array<value, inline_args> small;
  std::vector<value> large;
  value* args = small.data();
  if (e.args.size() > inline_args) {
    large.resize(e.args.size());
    args = large.data();
  }
  for (std::size_t i = 0; i < e.args.size(); ++i) {
    const expr& a = *e.args[i];
    if (e.fn->raw_star && a.k == expr::kind::star && s.root) {
      args[i] = value::binary(s.msg.payload);
    } else {
      args[i] = eval(a, s);
    }
  }
  const call_context ctx{s.msg, s.version};
  value out = e.fn->impl(std::span<const value>(args, e.args.size()), ctx);
  // A payload is at most 128 KB, but nested replace()/lpad() can grow a string exponentially with
  // the statement's length: refuse rather than exhaust memory.
  if (out.kind() == value_kind::string && out.as_string().size() > max_string_bytes)
    throw evaluation_failure{std::string(e.fn->name) + "(): result longer than 1 MiB"};
  return out;
}

value eval_case(const expr& e, const scope& s) {
  const std::size_t first = e.k == expr::kind::case_simple ? 1 : 0;
  const std::size_t end = e.args.size() - (e.has_else ? 1 : 0);
  value subject;
  if (e.k == expr::kind::case_simple) {
    subject = eval(*e.args[0], s);
    if (subject.is_undefined()) return {};
  }
  for (std::size_t i = first; i + 1 < end; i += 2) {
    const value test = eval(*e.args[i], s);
    const bool hit = e.k == expr::kind::case_simple
                         ? (!test.is_undefined() && values_equal(subject, test))
                         : (test.kind() == value_kind::boolean && test.as_bool());
    if (hit) return eval(*e.args[i + 1], s);
  }
  return e.has_else ? eval(*e.args.back(), s) : value{};
}

// Sets `key` in an output object: a repeated key replaces the earlier value in its place.
void put(object& out, const std::string& key, value v) {
  for (auto& m : out) {
    if (m.key == key) {
      m.val = std::move(v);
      return;
    }
  }
  out.push_back({key, std::move(v)});
}

}  // namespace

value eval(const expr& e, const scope& s) {
  switch (e.k) {
    case expr::kind::literal: return e.lit;
    case expr::kind::star: return s.doc;
    case expr::kind::field: return s.doc.field(e.name);
    case expr::kind::member: return eval_member(eval(*e.args[0], s), e.name);
    case expr::kind::index: return eval_index(eval(*e.args[0], s), eval(*e.args[1], s));
    case expr::kind::call: return eval_call(e, s);
    case expr::kind::cast: return cast_to(eval(*e.args[0], s), e.name, s.version);
    case expr::kind::unary: {
      const value a = eval(*e.args[0], s);
      if (a.is_undefined()) return {};
      return apply_unary(e.oper, a, s.version);
    }
    case expr::kind::binary: {
      value out = apply_binary(e.oper, eval(*e.args[0], s), eval(*e.args[1], s), s.version);
      if (out.kind() == value_kind::string && out.as_string().size() > max_string_bytes)
        throw evaluation_failure{"string concatenation longer than 1 MiB"};
      return out;
    }
    case expr::kind::case_simple:
    case expr::kind::case_searched: return eval_case(e, s);
    case expr::kind::object_literal: {
      object members;
      members.reserve(e.args.size());
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        value v = eval(*e.args[i], s);
        if (!v.is_undefined()) put(members, e.keys[i], std::move(v));
      }
      return value::make_object(std::move(members));
    }
    case expr::kind::array_literal: {
      array items;
      items.reserve(e.args.size());
      for (const auto& a : e.args) {
        value v = eval(*a, s);
        if (!v.is_undefined()) items.push_back(std::move(v));
      }
      return value::make_array(std::move(items));
    }
    case expr::kind::subquery: return eval_subquery(*e.sub, s);
  }
  return {};
}

bool where_true(const query& q, const scope& s) {
  if (!q.where) return true;
  const value w = eval(*q.where, s);
  return w.kind() == value_kind::boolean && w.as_bool();
}

value eval_select(const query& q, const scope& s) { return where_true(q, s) ? select_output(q, s) : value{}; }

value select_output(const query& q, const scope& s) {
  if (q.select_value) return eval(*q.items[0].e, s);
  object out;
  out.reserve(q.items.size());
  for (const auto& item : q.items) {
    if (!item.e) {
      // SELECT * alone is the document itself (shared, not copied): an object, an array, a number,
      // or the raw bytes of a non-JSON payload.
      if (q.items.size() == 1) return s.doc;
      if (s.doc.kind() == value_kind::object) {
        if (out.empty()) {
          out = s.doc.as_object();  // no repeated keys to merge yet: skip put()'s scan per member
        } else {
          for (const auto& m : s.doc.as_object()) put(out, m.key, m.val);
        }
      } else if (s.doc.kind() == value_kind::binary) {
        throw evaluation_failure{"SELECT * of a binary (non-JSON) payload cannot be combined with other items"};
      }
      continue;
    }
    value v = eval(*item.e, s);
    if (!v.is_undefined()) put(out, item.alias, std::move(v));
  }
  return value::make_object(std::move(out));
}

value eval_subquery(const query& q, const scope& outer) {
  const value source = eval(*q.source, outer);
  if (source.kind() == value_kind::object) {
    const scope inner{source, outer.msg, outer.version, false};
    return eval_select(q, inner);
  }
  if (source.kind() != value_kind::array) return {};
  array results;
  for (const auto& element : source.as_array()) {
    const scope inner{element, outer.msg, outer.version, false};
    value r = eval_select(q, inner);
    if (!r.is_undefined()) results.push_back(std::move(r));
  }
  return value::make_array(std::move(results));
}

value payload_document(const message_context& m, sql_version v) {
  if (auto doc = parse_json(m.payload, v != sql_version::v2015_10_08)) return std::move(*doc);
  return value::binary(m.payload);
}

}  // namespace lambkin::rules::detail
