// Asio's SSL implementation, compiled once (lambkin_io builds Asio separately: asio_impl.cpp);
// only the MQTT TLS listener uses it.
#include <boost/asio/ssl/impl/src.hpp>
