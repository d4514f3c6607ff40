#include "emulator/core/mqtt/authority.hpp"

namespace lambkin::mqtt {

std::string_view to_string(iot_action a) noexcept {
  switch (a) {
    case iot_action::connect: return "iot:Connect";
    case iot_action::publish: return "iot:Publish";
    case iot_action::retain_publish: return "iot:RetainPublish";
    case iot_action::subscribe: return "iot:Subscribe";
    case iot_action::receive: return "iot:Receive";
  }
  return "iot:?";
}

}  // namespace lambkin::mqtt
