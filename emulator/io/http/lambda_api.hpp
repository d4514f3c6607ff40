#pragma once
// The Lambda control-plane subset on the AWS endpoint (restJson1, paths and shapes as in the
// Lambda API reference, so the AWS CLI and SDKs work unchanged):
//
//   GET    /2015-03-31/functions/                              ListFunctions (?FunctionVersion=ALL, MaxItems, Marker)
//   GET    /2015-03-31/functions/{name}                        GetFunction (?Qualifier=)
//   GET    /2015-03-31/functions/{name}/configuration          GetFunctionConfiguration (?Qualifier=)
//   PUT    /2015-03-31/functions/{name}/configuration          UpdateFunctionConfiguration (MemorySize,
//                                                              Timeout, Environment, Description, Handler)
//   GET    /2015-03-31/functions/{name}/versions               ListVersionsByFunction
//   POST   /2015-03-31/functions/{name}/versions               PublishVersion (201)
//   GET    /2015-03-31/functions/{name}/aliases                ListAliases (?FunctionVersion=)
//   POST   /2015-03-31/functions/{name}/aliases                CreateAlias (201)
//   GET|PUT|DELETE /2015-03-31/functions/{name}/aliases/{alias} GetAlias, UpdateAlias, DeleteAlias (204)
//   GET    /2019-09-30/functions/{name}/concurrency            GetFunctionConcurrency
//   PUT|DELETE /2017-10-31/functions/{name}/concurrency        Put/DeleteFunctionConcurrency (204)
//   PUT|GET|DELETE /2019-09-30/functions/{name}/provisioned-concurrency?Qualifier=
//                                                              Put (202) / Get / Delete (204) ProvisionedConcurrencyConfig
//   GET    /2019-09-30/functions/{name}/provisioned-concurrency?List=ALL   ListProvisionedConcurrencyConfigs
//   PUT|POST|GET|DELETE /2019-09-25/functions/{name}/event-invoke-config   Put/Update/Get/Delete
//                                                              FunctionEventInvokeConfig
//   GET    /2019-09-25/functions/{name}/event-invoke-config/list          ListFunctionEventInvokeConfigs
//   GET    /2016-08-19/account-settings/                       GetAccountSettings
//
// Any date prefix is accepted for any of these (the SDKs send the ones above). `{name}` may be a
// name, an ARN or a partial ARN, URL-encoded. Errors: `x-amzn-ErrorType` + `{"message", "Type"}`:
// 404 ResourceNotFoundException (`Function not found: <ARN>`), 400 InvalidParameterValueException /
// ValidationException with AWS's messages, 409 ResourceConflictException, 404
// ProvisionedConcurrencyConfigNotFoundException, 412 PreconditionFailedException. Every answer
// carries `x-amzn-RequestId`. Invoke has its own handler (invoke_api.hpp).
#include "emulator/io/http/http_server.hpp"
#include "emulator/io/lambda/lambda_service.hpp"

#include <string_view>

namespace lambkin::io::http {

/// True for paths this handler answers (also for methods it doesn't: it answers those too).
bool is_lambda_api_path(std::string_view path) noexcept;

/// Answers one control-plane request; never suspends (no function runs).
response handle_lambda_api(lambda::lambda_service& service, const request& req);

}  // namespace lambkin::io::http
