// The one header every Asio/Beast user in gwsim includes first.
//
// Boost 1.74's Asio under C++20 with GCC 12 uses std::exchange in boost/asio/awaitable.hpp
// without including <utility>; including it here, before any Asio header, fixes the build.
#pragma once

#include <utility>  // must precede every Asio header (see above)

#include <chrono>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace gwsim::datapath {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;

// Concrete executor types on the data path: the type-erased any_io_executor costs a virtual
// dispatch and copies on every operation.
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Acceptor = asio::basic_socket_acceptor<tcp, Executor>;
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock, asio::wait_traits<std::chrono::steady_clock>, Executor>;
using Stream = beast::basic_stream<tcp, Executor>;  // a socket with Beast's timeouts
template <class T>
using Task = asio::awaitable<T, Executor>;
inline constexpr asio::use_awaitable_t<Executor> kAwait{};

}  // namespace gwsim::datapath
