// Go's %q of a string (strconv.Quote): Istio's validation errors and analyzer messages quote
// names this way, so gwsim's copies of those messages must too.
#pragma once

#include <string>
#include <string_view>

namespace gwsim::text {

// A double-quoted string with Go's escapes: \" \\ \a \b \f \n \r \t \v, \xNN for other control
// bytes.
std::string go_quote(std::string_view s);

}  // namespace gwsim::text
