// MQTT over TLS with client certificates, against Debian's mosquitto_pub/mosquitto_sub
// (--cafile/--cert/--key), and the local CA behind `lambkin certs`, checked with the openssl CLI.
#include "io/mqtt_ws_tls_support.hpp"

#include "emulator/io/mqtt/certificate_id.hpp"
#include "emulator/io/mqtt/local_certificates.hpp"
#include "support/child_process.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace lambkin::test;
namespace mqtt_io = lambkin::io::mqtt;

namespace {

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// ca, server, dev-1, dev-2 in a temporary directory.
struct certificates {
  temp_dir dir;
  mqtt_io::local_certificates made = mqtt_io::make_local_certificates(dir.path(), {"dev-1", "dev-2"});
  std::filesystem::path file(const std::string& name) const { return dir.path() / name; }
  mqtt_io::tls_files server_files() const { return {file("server.pem"), file("server.key"), file("ca.pem")}; }
  std::string id(const std::string& device) const {
    for (const auto& f : made.files)
      if (f.name == device) return f.id;
    return {};
  }
};

/// mosquitto client arguments for TLS as `device` (no client certificate when empty).
std::vector<std::string> tls_args(const certificates& c, const mqtt_transports_thread& b, const std::string& device) {
  std::vector<std::string> a{"-h", "127.0.0.1", "-p", b.tls_port(), "--cafile", c.file("ca.pem").string()};
  if (!device.empty()) {
    a.insert(a.end(), {"--cert", c.file(device + ".pem").string(), "--key", c.file(device + ".key").string()});
  }
  return a;
}

std::vector<std::string> joined(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

TEST_CASE("lambkin certs' CA: openssl verifies the certificates, the server's SAN, keys 0600, ids are SHA-256") {
  certificates c;
  REQUIRE_MESSAGE(c.made.error.empty(), c.made.error);
  REQUIRE(c.made.files.size() == 4);
  const auto verify = run({"/usr/bin/openssl", "verify", "-CAfile", c.file("ca.pem").string(),
                           c.file("server.pem").string(), c.file("dev-1.pem").string(), c.file("dev-2.pem").string()});
  CHECK_MESSAGE(verify.code == 0, verify.out, verify.err);
  const auto san = run({"/usr/bin/openssl", "x509", "-in", c.file("server.pem").string(), "-noout", "-ext",
                        "subjectAltName,extendedKeyUsage"});
  CHECK(san.out.find("IP Address:127.0.0.1") != std::string::npos);
  CHECK(san.out.find("DNS:localhost") != std::string::npos);
  CHECK(san.out.find("TLS Web Server Authentication") != std::string::npos);
  const auto dev = run({"/usr/bin/openssl", "x509", "-in", c.file("dev-1.pem").string(), "-noout", "-subject",
                        "-ext", "extendedKeyUsage", "-fingerprint", "-sha256"});
  CHECK(dev.out.find("CN = dev-1") != std::string::npos);
  CHECK(dev.out.find("TLS Web Client Authentication") != std::string::npos);
  // openssl's fingerprint is the same SHA-256 of the DER, upper-case with colons.
  auto fp = dev.out.substr(dev.out.find("Fingerprint=") + 12);
  fp = fp.substr(0, fp.find('\n'));
  std::string expected;
  for (char ch : fp)
    if (ch != ':') expected += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  CHECK(c.id("dev-1") == expected);
  CHECK(mqtt_io::certificate_id_of_pem(read_text(c.file("dev-1.pem"))) == expected);
  for (const auto* key : {"ca.key", "server.key", "dev-1.key"}) {
    struct stat st {};
    REQUIRE(::stat(c.file(key).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
  }
}

TEST_CASE("lambkin certs again: the CA and existing files are kept, a new device is added") {
  certificates c;
  REQUIRE(c.made.error.empty());
  const auto ca_before = read_text(c.file("ca.pem"));
  const auto again = mqtt_io::make_local_certificates(c.dir.path(), {"dev-1", "dev-3"});
  REQUIRE_MESSAGE(again.error.empty(), again.error);
  CHECK(read_text(c.file("ca.pem")) == ca_before);
  REQUIRE(again.files.size() == 4);
  CHECK_FALSE(again.files[0].written);  // ca
  CHECK_FALSE(again.files[1].written);  // server
  CHECK_FALSE(again.files[2].written);  // dev-1
  CHECK(again.files[2].id == c.id("dev-1"));
  CHECK(again.files[3].written);  // dev-3
  const auto verify =
      run({"/usr/bin/openssl", "verify", "-CAfile", c.file("ca.pem").string(), c.file("dev-3.pem").string()});
  CHECK(verify.code == 0);
}

TEST_CASE("lambkin certs refuses a device name that is not a safe file name") {
  temp_dir dir;
  for (const std::string bad : {"../x", "a/b", "", "server", "ca", "dev 1"}) {
    CAPTURE(bad);
    const auto made = mqtt_io::make_local_certificates(dir.path() / "certs", {bad});
    CHECK_FALSE(made.error.empty());
    CHECK(made.files.empty());
  }
}

TEST_CASE("mosquitto_sub and mosquitto_pub with client certificates over TLS, MQTT 3.1.1 and 5") {
  certificates c;
  mqtt_transports_thread b(c.server_files());
  for (const std::string v : {"mqttv311", "mqttv5"}) {
    CAPTURE(v);
    child_process sub(joined({"/usr/bin/stdbuf", "-oL", "/usr/bin/mosquitto_sub", "-d", "-V", v, "-t", "secure/+",
                              "-q", "1", "-C", "1", "-W", "10"},
                             tls_args(c, b, "dev-1")));
    REQUIRE_MESSAGE(wait_for_stdout(sub, "received SUBACK", transport_timeout), sub.out(), sub.err());
    const auto pub = run(joined({"/usr/bin/mosquitto_pub", "-d", "-V", v, "-t", "secure/a", "-m", "sealed-" + v, "-q", "1"},
                                tls_args(c, b, "dev-2")),
                         transport_timeout);
    CHECK_MESSAGE(pub.code == 0, pub.out, pub.err);
    CHECK(pub.out.find("received PUBACK") != std::string::npos);
    CHECK(sub.wait(transport_timeout) == 0);
    CHECK(sub.out().find("sealed-" + v) != std::string::npos);
  }
}

TEST_CASE("a TLS client without a certificate, or with one from another CA, is refused") {
  certificates c;
  certificates other;
  mqtt_transports_thread b(c.server_files());
  const auto none = run(joined({"/usr/bin/mosquitto_pub", "-t", "t", "-m", "x"}, tls_args(c, b, "")), transport_timeout);
  CHECK(none.code != 0);
  const auto foreign = run({"/usr/bin/mosquitto_pub", "-t", "t", "-m", "x", "-h", "127.0.0.1", "-p", b.tls_port(),
                            "--cafile", c.file("ca.pem").string(), "--cert", other.file("dev-1.pem").string(), "--key",
                            other.file("dev-1.key").string()},
                           transport_timeout);
  CHECK(foreign.code != 0);
  // The listener keeps serving the good ones.
  const auto good = run(joined({"/usr/bin/mosquitto_pub", "-t", "t", "-m", "x"}, tls_args(c, b, "dev-1")), transport_timeout);
  CHECK_MESSAGE(good.code == 0, good.err);
}

TEST_CASE("the TLS client certificate's id is the connection's principal (presence event principalIdentifier)") {
  certificates c;
  mqtt_transports_thread b(c.server_files());
  child_process sub({"/usr/bin/stdbuf", "-oL", "/usr/bin/mosquitto_sub", "-d", "-h", "127.0.0.1", "-p", b.tcp_port(),
                     "-t", "$aws/events/presence/connected/+", "-q", "1", "-C", "1", "-W", "10"});
  REQUIRE(wait_for_stdout(sub, "received SUBACK", transport_timeout));
  const auto pub = run(joined({"/usr/bin/mosquitto_pub", "-i", "thermo-2", "-t", "t", "-m", "x"}, tls_args(c, b, "dev-2")),
                       transport_timeout);
  REQUIRE(pub.code == 0);
  REQUIRE(sub.wait(transport_timeout) == 0);
  const auto out = sub.out();
  const auto start = out.find("{\"clientId\"");
  REQUIRE_MESSAGE(start != std::string::npos, out);
  const auto event = boost::json::parse(out.substr(start, out.find('\n', start) - start)).as_object();
  CHECK(event.at("clientId") == "thermo-2");
  CHECK(std::string(event.at("principalIdentifier").as_string()) == c.id("dev-2"));
}

TEST_CASE("the broker ends a TLS connection with close_notify, not a bare TCP close (Python's ssl tells them apart)") {
  certificates c;
  mqtt_transports_thread b(c.server_files());
  // suppress_ragged_eofs=False: a TCP end without close_notify raises SSLEOFError instead of
  // reading as a clean end. A PINGREQ before CONNECT makes the broker close the connection.
  const std::string script = R"(
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
ctx.load_cert_chain(sys.argv[3], sys.argv[4])
s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10),
                    server_hostname='127.0.0.1', suppress_ragged_eofs=False)
s.sendall(bytes([0xC0, 0x00]))
try:
    while s.recv(4096):
        pass
    print('close_notify')
except ssl.SSLEOFError as e:
    print('no close_notify:', e)
)";
  const auto r = run({"/usr/bin/python3", "-c", script, b.tls_port(), c.file("ca.pem").string(),
                      c.file("dev-1.pem").string(), c.file("dev-1.key").string()},
                     transport_timeout);
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out == "close_notify\n");
}
