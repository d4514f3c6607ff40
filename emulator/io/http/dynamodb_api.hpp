#pragma once
// DynamoDB's JSON protocol on the AWS endpoint: `POST /` with `X-Amz-Target: DynamoDB_20120810.<Op>`
// and `Content-Type: application/x-amz-json-1.0`, answered from the SQLite table store.
//
// Every answer carries `x-amzn-RequestId` and `x-amz-crc32` (CRC32 of the body, which the SDKs
// check). Errors are HTTP 400 with `{"__type":"com.amazonaws.dynamodb.v20120810#<Type>","message":…}`
// (500 InternalServerError for the unexpected); bad JSON is SerializationException and an
// unknown operation UnknownOperationException.
#include "emulator/io/http/http_server.hpp"
#include "emulator/io/store/table_store.hpp"

namespace lambkin::io::http {

/// True when `X-Amz-Target` names a DynamoDB operation.
bool is_dynamodb_request(const request& req);

/// Answers one DynamoDB request; `now_ms` is the wall clock (epoch ms: TTL, creation times).
response handle_dynamodb(store::table_store& store, const request& req, std::int64_t now_ms);

}  // namespace lambkin::io::http
