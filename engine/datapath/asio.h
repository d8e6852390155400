// The one header every Asio/Beast user in gwsim includes first.
//
// Boost 1.74's Asio under C++20 with GCC 12 uses std::exchange in boost/asio/awaitable.hpp
// without including <utility>; including it here, before any Asio header, fixes the build.
#pragma once

#include <utility>  // must precede every Asio header (see above)

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace gwsim::datapath {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;

}  // namespace gwsim::datapath
