// AWS::DynamoDB::Table and AWS::Serverless::SimpleTable → table_config.
#include "emulator/config/resource_parsers.hpp"

#include <algorithm>
#include <regex>

namespace lambkin::config {
namespace {

const std::vector<std::string> table_properties{
    "AttributeDefinitions", "BillingMode", "ContributorInsightsSpecification", "DeletionProtectionEnabled",
    "GlobalSecondaryIndexes", "ImportSourceSpecification", "KeySchema", "KinesisStreamSpecification",
    "LocalSecondaryIndexes", "OnDemandThroughput", "PointInTimeRecoverySpecification", "ProvisionedThroughput",
    "ResourcePolicy", "SSESpecification", "StreamSpecification", "TableClass", "TableName", "Tags",
    "TimeToLiveSpecification", "WarmThroughput"};

attribute_type to_type(const std::string& s) {
  return s == "N" || s == "Number" ? attribute_type::number
         : s == "B" || s == "Binary" ? attribute_type::binary
                                      : attribute_type::string;
}

class table_reader {
 public:
  table_reader(const property_reader& props, table_config& t, parse_context& ctx) : props_(props), t_(t), ctx_(ctx) {}

  void read() {
    read_attributes();
    if (auto keys = read_key_schema(props_, "KeySchema", true)) t_.keys = *keys;
    read_indexes("GlobalSecondaryIndexes", t_.global_indexes);
    read_indexes("LocalSecondaryIndexes", t_.local_indexes);
    check_unused_attributes();
  }

 private:
  void read_attributes() {
    if (!props_.require("AttributeDefinitions")) return;
    const node* defs = props_.find("AttributeDefinitions");
    if (!defs) return;
    if (!defs->is_sequence()) {
      ctx_.diags.error(defs->at, props_.path("AttributeDefinitions"), "must be a list");
      return;
    }
    for (std::size_t i = 0; i < defs->items.size(); ++i) {
      const property_reader def(defs->items[i], index_path(props_.path("AttributeDefinitions"), i), ctx_.diags);
      def.allow({"AttributeName", "AttributeType"});
      auto name = def.string("AttributeName", true);
      auto type = def.one_of("AttributeType", {"S", "N", "B"}, true);
      if (name && type) {
        t_.attributes.push_back({*name, to_type(*type)});
        marks_.push_back(defs->items[i].at);
      }
    }
  }

  std::optional<key_schema> read_key_schema(const property_reader& owner, std::string_view key, bool required) {
    if (required && !owner.require(key)) return std::nullopt;
    const node* schema = owner.find(key);
    if (!schema) return std::nullopt;
    const std::string path = owner.path(key);
    if (!schema->is_sequence() || schema->items.empty() || schema->items.size() > 2) {
      ctx_.diags.error(schema->at, path, "must list a HASH key and optionally a RANGE key");
      return std::nullopt;
    }
    key_schema out;
    for (std::size_t i = 0; i < schema->items.size(); ++i) {
      const property_reader element(schema->items[i], index_path(path, i), ctx_.diags);
      element.allow({"AttributeName", "KeyType"});
      auto name = element.string("AttributeName", true);
      auto type = element.one_of("KeyType", {"HASH", "RANGE"}, true);
      if (!name || !type) return std::nullopt;
      if (*type != (i == 0 ? "HASH" : "RANGE")) {
        ctx_.diags.error(element.find("KeyType")->at, element.path("KeyType"),
                         i == 0 ? "the first key must be the HASH key" : "the second key must be the RANGE key");
        return std::nullopt;
      }
      auto def = std::find_if(t_.attributes.begin(), t_.attributes.end(), [&](auto& a) { return a.name == *name; });
      if (def == t_.attributes.end()) {
        ctx_.diags.error(element.find("AttributeName")->at, element.path("AttributeName"),
                         "'" + *name + "' is not in AttributeDefinitions");
        return std::nullopt;
      }
      used_.push_back(*name);
      (i == 0 ? out.partition : out.sort.emplace()) = *def;
    }
    return out;
  }

  void read_indexes(std::string_view key, std::vector<secondary_index>& out) {
    const node* list = props_.find(key);
    if (!list) return;
    if (!list->is_sequence()) {
      ctx_.diags.error(list->at, props_.path(key), "must be a list");
      return;
    }
    const bool local = key == "LocalSecondaryIndexes";
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      const property_reader index(list->items[i], index_path(props_.path(key), i), ctx_.diags);
      index.allow(local ? std::vector<std::string>{"IndexName", "KeySchema", "Projection"}
                        : std::vector<std::string>{"ContributorInsightsSpecification", "IndexName", "KeySchema",
                                                   "OnDemandThroughput", "Projection", "ProvisionedThroughput",
                                                   "WarmThroughput"});
      secondary_index si;
      if (auto name = index.string("IndexName", true)) si.name = *name;
      auto keys = read_key_schema(index, "KeySchema", true);
      if (keys) si.keys = *keys;
      if (keys && local && (keys->partition != t_.keys.partition || !keys->sort))
        ctx_.diags.error(index.find("KeySchema")->at, index.path("KeySchema"),
                         "a local index needs the table's HASH key and a RANGE key");
      if (auto projection = index.child("Projection", true)) {
        projection->allow({"NonKeyAttributes", "ProjectionType"});
        if (auto type = projection->one_of("ProjectionType", {"ALL", "KEYS_ONLY", "INCLUDE"})) si.projection = *type;
        if (auto attrs = projection->string_list("NonKeyAttributes")) si.non_key_attributes = *attrs;
      }
      out.push_back(std::move(si));
    }
  }

  // DynamoDB rejects definitions that no key schema uses.
  void check_unused_attributes() {
    for (std::size_t i = 0; i < t_.attributes.size(); ++i)
      if (std::find(used_.begin(), used_.end(), t_.attributes[i].name) == used_.end())
        ctx_.diags.error(marks_[i], index_path(props_.path("AttributeDefinitions"), i),
                         "'" + t_.attributes[i].name + "' is not used by the KeySchema or an index");
  }

  const property_reader& props_;
  table_config& t_;
  parse_context& ctx_;
  std::vector<mark> marks_;  // of each attribute definition
  std::vector<std::string> used_;
};

void read_options(const property_reader& props, table_config& t) {
  if (auto mode = props.one_of("BillingMode", {"PROVISIONED", "PAY_PER_REQUEST"})) t.billing_mode = *mode;
  if (t.billing_mode == "PROVISIONED")
    props.require("ProvisionedThroughput", "is required when BillingMode is PROVISIONED (the default)");
  if (auto throughput = props.child("ProvisionedThroughput")) {
    throughput->allow({"ReadCapacityUnits", "WriteCapacityUnits"});
    throughput->integer("ReadCapacityUnits", 1, LLONG_MAX, true);
    throughput->integer("WriteCapacityUnits", 1, LLONG_MAX, true);
  }
  if (auto ttl = props.child("TimeToLiveSpecification")) {
    ttl->allow({"AttributeName", "Enabled"});
    auto name = ttl->string("AttributeName");
    if (auto enabled = ttl->boolean("Enabled"); enabled && *enabled && name) t.ttl_attribute = *name;
    ttl->require("Enabled");
  }
  if (auto stream = props.child("StreamSpecification")) {
    stream->allow({"ResourcePolicy", "StreamViewType"});
    t.stream_view_type = stream->one_of("StreamViewType", {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"}, true);
  }
}

void read_simple_table(const property_reader& props, table_config& t) {
  props.allow({"PointInTimeRecoverySpecification", "PrimaryKey", "ProvisionedThroughput", "SSESpecification",
               "TableName", "Tags"});
  t.keys.partition = {"id", attribute_type::string};
  if (auto key = props.child("PrimaryKey")) {
    key->allow({"Name", "Type"});
    if (auto name = key->string("Name", true)) t.keys.partition.name = *name;
    if (auto type = key->one_of("Type", {"String", "Number", "Binary"}, true)) t.keys.partition.type = to_type(*type);
  }
  t.attributes = {t.keys.partition};
  t.billing_mode = props.has("ProvisionedThroughput") ? "PROVISIONED" : "PAY_PER_REQUEST";
  if (auto throughput = props.child("ProvisionedThroughput")) {
    throughput->allow({"ReadCapacityUnits", "WriteCapacityUnits"});
    throughput->integer("ReadCapacityUnits", 1, LLONG_MAX, true);
    throughput->integer("WriteCapacityUnits", 1, LLONG_MAX, true);
  }
}

}  // namespace

void parse_table(resource_entry& e, parse_context& ctx) {
  const node resolved = ctx.resolve.resolve_properties(e);
  const property_reader props(resolved, "Resources." + e.logical_id + ".Properties", ctx.diags);
  table_config t;
  t.logical_id = e.logical_id;
  t.name = ctx.resolve.physical_name(e);
  t.arn = ctx.resolve.table_arn(t.name);
  t.source = ctx.location(e.at);
  if (e.kind == resource_kind::simple_table) {
    read_simple_table(props, t);
  } else {
    props.allow(table_properties);
    table_reader(props, t, ctx).read();
    read_options(props, t);
  }
  const node* given = props.find("TableName");
  const mark at = given ? given->at : e.at;
  const std::string path = given ? props.path("TableName") : "Resources." + e.logical_id;
  if (!std::regex_match(t.name, std::regex("[A-Za-z0-9_.-]{3,255}")))
    ctx.diags.error(at, path, "table name '" + t.name + "' must be 3 to 255 letters, digits, '_', '-' or '.'");
  for (const auto& other : ctx.out.tables)
    if (other.name == t.name)
      ctx.diags.error(at, path, "table name '" + t.name + "' is already used by Resources." + other.logical_id);
  ctx.out.tables.push_back(std::move(t));
}

}  // namespace lambkin::config
