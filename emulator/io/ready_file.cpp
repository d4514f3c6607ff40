#include "emulator/io/ready_file.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>

namespace lambkin::io {
namespace {
boost::json::value port_value(const std::optional<unsigned short>& p) {
  return p ? boost::json::value(*p) : boost::json::value(nullptr);
}
}  // namespace

std::error_code write_ready_file(const std::filesystem::path& path, const ready_ports& ports, long pid) {
  boost::json::object o;
  o["mqtt"] = port_value(ports.mqtt);
  o["ws"] = port_value(ports.ws);
  o["tls"] = port_value(ports.tls);
  o["http"] = port_value(ports.http);
  o["aws"] = port_value(ports.aws);
  if (ports.broker) {
    o["broker"] = *ports.broker;
    o["broker_connected"] = ports.broker_connected;
  }
  if (ports.aws_url) o["aws_url"] = *ports.aws_url;
  if (ports.http_url) o["http_url"] = *ports.http_url;
  o["pid"] = pid;
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return std::make_error_code(std::errc::permission_denied);
    out << boost::json::serialize(o) << '\n';
    if (!out.flush()) return std::make_error_code(std::errc::io_error);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  return ec;
}

}  // namespace lambkin::io
