#pragma once
// Items in a DynamoDB table, counted through lambkin's AWS endpoint (Scan with Select COUNT,
// following LastEvaluatedKey): what the pipeline benchmarks compare with what they acknowledged.
#include <cstddef>
#include <cstdint>
#include <string>

namespace lambkin::bench {

std::size_t count_items(std::uint16_t aws_port, const std::string& table);

}  // namespace lambkin::bench
