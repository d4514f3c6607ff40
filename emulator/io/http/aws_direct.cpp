#include "emulator/io/http/aws_direct.hpp"

namespace lambkin::io::http {

lambda::aws_direct_handler make_aws_direct(handler endpoint) {
  return [endpoint = std::move(endpoint)](aws_request in) -> net::awaitable<aws_response> {
    const auto verb = beast::http::string_to_verb(in.method);
    if (verb == beast::http::verb::unknown)
      co_return aws_response{400, R"({"message":"unknown HTTP method )" + in.method + "\"}", {}};
    request req{verb, in.target, 11};
    req.set(beast::http::field::host, "127.0.0.1");
    for (auto& [name, value] : in.headers) req.set(name, value);
    req.body() = std::move(in.body);
    req.prepare_payload();
    auto res = co_await endpoint(std::move(req));
    aws_response out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    out.body = std::move(res.body());
    co_return out;
  };
}

}  // namespace lambkin::io::http
