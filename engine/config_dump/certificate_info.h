// What istioctl's secret table shows of a certificate (istioctl/pkg/util/configdump secret
// parsing): its serial number in lower-case hex, its validity and whether `now` is inside it.
#pragma once

#include <ctime>
#include <optional>
#include <string>

namespace gwsim::config_dump {

struct CertificateInfo {
  std::string serial_number;  // "6fbee254c22900615cb1f74e3d2f1713"
  std::string not_before;     // "2023-05-15T01:30:52Z"
  std::string not_after;
  bool valid = false;  // not_before <= now <= not_after
};

// The first certificate of a PEM bundle; nullopt when there is none that parses.
std::optional<CertificateInfo> certificate_info(const std::string& pem, std::time_t now);

}  // namespace gwsim::config_dump
