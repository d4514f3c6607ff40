// Asio and Beast are header-only by default; compiling their implementation in every
// translation unit makes the build slow on two cores. With BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION (set on lambkin_io, PUBLIC), this is the one place it is built.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
