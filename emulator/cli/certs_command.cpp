// `lambkin certs DIR [--devices dev-1,dev-2]`: a local CA, a certificate for the broker's TLS
// listener and one client certificate per device (emulator/io/mqtt/local_certificates.hpp), made
// with OpenSSL's API. Prints every file it wrote or kept, each device's certificate id (what the
// rules' principal() returns for it), and the `lambkin run` flags that use them. Exit 1 on error.
#include "emulator/cli/commands.hpp"
#include "emulator/io/mqtt/local_certificates.hpp"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace lambkin::cli {
namespace {

struct certs_flags {
  std::string dir;
  std::vector<std::string> devices;
};

int run_certs(const certs_flags& f) {
  const auto made = io::mqtt::make_local_certificates(f.dir, f.devices);
  for (const auto& c : made.files) {
    const char* verb = c.written ? "wrote" : "kept ";
    std::cout << verb << ' ' << c.cert.string() << '\n' << verb << ' ' << c.key.string() << '\n';
    if (c.name != "ca" && c.name != "server") {
      std::cout << "      " << c.name << " certificate id " << c.id << '\n';
      // What AWS::IoT::PolicyPrincipalAttachment's Principal takes (default region and account).
      std::cout << "      " << c.name << " certificate ARN arn:aws:iot:us-east-1:123456789012:cert/" << c.id << '\n';
    }
  }
  if (!made.error.empty()) {
    std::cerr << "lambkin certs: " << made.error << '\n';
    return 1;
  }
  const auto& ca = made.files.at(0);
  const auto& server = made.files.at(1);
  std::cout << "serve MQTT over TLS with: lambkin run TEMPLATE --tls-cert " << server.cert.string() << " --tls-key "
            << server.key.string() << " --tls-ca " << ca.cert.string() << '\n';
  std::cout << "serve the AWS endpoint and HTTP API over HTTPS with: lambkin run TEMPLATE --https-cert "
            << server.cert.string() << " --https-key " << server.key.string() << " --https-ca " << ca.cert.string()
            << "\n  (clients trust " << ca.cert.string() << ": curl --cacert, aws --ca-bundle)\n";
  return 0;
}

}  // namespace

void add_certs_command(CLI::App& app) {
  auto f = std::make_shared<certs_flags>();
  auto* cmd = app.add_subcommand("certs", "Make a local CA, a server certificate and device certificates for MQTT over TLS");
  cmd->add_option("dir", f->dir, "Directory to write ca.pem/.key, server.pem/.key and DEVICE.pem/.key to")->required();
  cmd->add_option("--devices", f->devices, "Device names, comma-separated (one client certificate each)")
      ->delimiter(',');
  cmd->callback([f] { set_exit_code(run_certs(*f)); });
}

}  // namespace lambkin::cli
