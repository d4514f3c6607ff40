#include "emulator/core/rules/hash.hpp"

#include "emulator/core/text/hex.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace lambkin::rules::detail {
namespace {

using u32 = std::uint32_t;
using u64 = std::uint64_t;

std::string hex(const std::uint8_t* bytes, std::size_t n) {
  return text::to_hex(std::string_view(reinterpret_cast<const char*>(bytes), n));
}

constexpr u32 rotl32(u32 x, int n) { return (x << n) | (x >> (32 - n)); }
constexpr u32 rotr32(u32 x, int n) { return (x >> n) | (x << (32 - n)); }
constexpr u64 rotr64(u64 x, int n) { return (x >> n) | (x << (64 - n)); }

// Merkle–Damgård padding: 0x80, zeros, then the bit length in `len_bytes` bytes (big or little endian).
std::vector<std::uint8_t> pad(std::string_view data, std::size_t block, std::size_t len_bytes, bool big_endian) {
  std::vector<std::uint8_t> m(data.begin(), data.end());
  const u64 bits = static_cast<u64>(data.size()) * 8;
  m.push_back(0x80);
  while ((m.size() + len_bytes) % block != 0) m.push_back(0);
  for (std::size_t i = 0; i < len_bytes; ++i) {
    const std::size_t shift = big_endian ? (len_bytes - 1 - i) * 8 : i * 8;
    m.push_back(shift >= 64 ? 0 : static_cast<std::uint8_t>(bits >> shift));
  }
  return m;
}

u32 be32(const std::uint8_t* p) { return (u32{p[0]} << 24) | (u32{p[1]} << 16) | (u32{p[2]} << 8) | u32{p[3]}; }
u64 be64(const std::uint8_t* p) { return (u64{be32(p)} << 32) | be32(p + 4); }

// ---- SHA-256 / SHA-224 (FIPS 180-4) ----
constexpr std::array<u32, 64> k256 = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

std::string sha256_family(std::string_view data, std::array<u32, 8> h, std::size_t out_words) {
  const auto m = pad(data, 64, 8, true);
  for (std::size_t off = 0; off < m.size(); off += 64) {
    std::array<u32, 64> w{};
    for (int i = 0; i < 16; ++i) w[i] = be32(&m[off + 4 * static_cast<std::size_t>(i)]);
    for (int i = 16; i < 64; ++i) {
      const u32 s0 = rotr32(w[i - 15], 7) ^ rotr32(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const u32 s1 = rotr32(w[i - 2], 17) ^ rotr32(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    auto v = h;
    for (int i = 0; i < 64; ++i) {
      const u32 s1 = rotr32(v[4], 6) ^ rotr32(v[4], 11) ^ rotr32(v[4], 25);
      const u32 ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
      const u32 t1 = v[7] + s1 + ch + k256[i] + w[i];
      const u32 s0 = rotr32(v[0], 2) ^ rotr32(v[0], 13) ^ rotr32(v[0], 22);
      const u32 maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
      const u32 t2 = s0 + maj;
      v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
    }
    for (int i = 0; i < 8; ++i) h[i] += v[i];
  }
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < out_words; ++i)
    for (int b = 3; b >= 0; --b) out.push_back(static_cast<std::uint8_t>(h[i] >> (8 * b)));
  return hex(out.data(), out.size());
}

// ---- SHA-512 / SHA-384 ----
constexpr std::array<u64, 80> k512 = {
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
    0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
    0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
    0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
    0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
    0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
    0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
    0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
    0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
    0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817};

std::string sha512_family(std::string_view data, std::array<u64, 8> h, std::size_t out_words) {
  const auto m = pad(data, 128, 16, true);
  for (std::size_t off = 0; off < m.size(); off += 128) {
    std::array<u64, 80> w{};
    for (int i = 0; i < 16; ++i) w[i] = be64(&m[off + 8 * static_cast<std::size_t>(i)]);
    for (int i = 16; i < 80; ++i) {
      const u64 s0 = rotr64(w[i - 15], 1) ^ rotr64(w[i - 15], 8) ^ (w[i - 15] >> 7);
      const u64 s1 = rotr64(w[i - 2], 19) ^ rotr64(w[i - 2], 61) ^ (w[i - 2] >> 6);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    auto v = h;
    for (int i = 0; i < 80; ++i) {
      const u64 s1 = rotr64(v[4], 14) ^ rotr64(v[4], 18) ^ rotr64(v[4], 41);
      const u64 ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
      const u64 t1 = v[7] + s1 + ch + k512[i] + w[i];
      const u64 s0 = rotr64(v[0], 28) ^ rotr64(v[0], 34) ^ rotr64(v[0], 39);
      const u64 maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
      v = {t1 + s0 + maj, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
    }
    for (int i = 0; i < 8; ++i) h[i] += v[i];
  }
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < out_words; ++i)
    for (int b = 7; b >= 0; --b) out.push_back(static_cast<std::uint8_t>(h[i] >> (8 * b)));
  return hex(out.data(), out.size());
}

}  // namespace

std::string sha256_hex(std::string_view d) {
  return sha256_family(d, {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}, 8);
}
std::string sha224_hex(std::string_view d) {
  return sha256_family(d, {0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4}, 7);
}
std::string sha512_hex(std::string_view d) {
  return sha512_family(d, {0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
                           0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179}, 8);
}
std::string sha384_hex(std::string_view d) {
  return sha512_family(d, {0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
                           0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4}, 6);
}

// ---- SHA-1 (FIPS 180-4) ----
std::string sha1_hex(std::string_view data) {
  const auto m = pad(data, 64, 8, true);
  std::array<u32, 5> h = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  for (std::size_t off = 0; off < m.size(); off += 64) {
    std::array<u32, 80> w{};
    for (int i = 0; i < 16; ++i) w[i] = be32(&m[off + 4 * static_cast<std::size_t>(i)]);
    for (int i = 16; i < 80; ++i) w[i] = rotl32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      u32 f, k;
      if (i < 20) f = (b & c) | (~b & d), k = 0x5A827999;
      else if (i < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
      else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
      else f = b ^ c ^ d, k = 0xCA62C1D6;
      const u32 t = rotl32(a, 5) + f + e + k + w[i];
      e = d, d = c, c = rotl32(b, 30), b = a, a = t;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
  }
  std::vector<std::uint8_t> out;
  for (u32 x : h)
    for (int b = 3; b >= 0; --b) out.push_back(static_cast<std::uint8_t>(x >> (8 * b)));
  return hex(out.data(), out.size());
}

// ---- MD5 (RFC 1321) ----
std::string md5_hex(std::string_view data) {
  static constexpr std::array<int, 64> r = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                            5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                            4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                            6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
  static const std::array<u32, 64> k = [] {
    std::array<u32, 64> t{};
    // K[i] = floor(|sin(i + 1)| * 2^32), listed rather than computed so no libm rounding can differ.
    const u32 table[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
    for (int i = 0; i < 64; ++i) t[i] = table[i];
    return t;
  }();
  const auto m = pad(data, 64, 8, false);
  u32 h0 = 0x67452301, h1 = 0xefcdab89, h2 = 0x98badcfe, h3 = 0x10325476;
  for (std::size_t off = 0; off < m.size(); off += 64) {
    std::array<u32, 16> w{};
    for (std::size_t i = 0; i < 16; ++i) {
      const auto* p = &m[off + 4 * i];
      w[i] = u32{p[0]} | (u32{p[1]} << 8) | (u32{p[2]} << 16) | (u32{p[3]} << 24);
    }
    u32 a = h0, b = h1, c = h2, d = h3;
    for (int i = 0; i < 64; ++i) {
      u32 f;
      int g;
      if (i < 16) f = (b & c) | (~b & d), g = i;
      else if (i < 32) f = (d & b) | (~d & c), g = (5 * i + 1) % 16;
      else if (i < 48) f = b ^ c ^ d, g = (3 * i + 5) % 16;
      else f = c ^ (b | ~d), g = (7 * i) % 16;
      const u32 tmp = d;
      d = c;
      c = b;
      b = b + rotl32(a + f + k[i] + w[g], r[i]);
      a = tmp;
    }
    h0 += a, h1 += b, h2 += c, h3 += d;
  }
  std::uint8_t out[16];
  const u32 hs[4] = {h0, h1, h2, h3};
  for (int i = 0; i < 4; ++i)
    for (int b = 0; b < 4; ++b) out[4 * i + b] = static_cast<std::uint8_t>(hs[i] >> (8 * b));
  return hex(out, 16);
}

// ---- MD2 (RFC 1319) ----
std::string md2_hex(std::string_view data) {
  // The S-box: a permutation of 0..255 built from the digits of pi (RFC 1319, section 3.2).
  static constexpr std::uint8_t s[256] = {
      41,  46,  67,  201, 162, 216, 124, 1,   61,  54,  84,  161, 236, 240, 6,   19,  98,  167, 5,   243, 192, 199,
      115, 140, 152, 147, 43,  217, 188, 76,  130, 202, 30,  155, 87,  60,  253, 212, 224, 22,  103, 66,  111, 24,
      138, 23,  229, 18,  190, 78,  196, 214, 218, 158, 222, 73,  160, 251, 245, 142, 187, 47,  238, 122, 169, 104,
      121, 145, 21,  178, 7,   63,  148, 194, 16,  137, 11,  34,  95,  33,  128, 127, 93,  154, 90,  144, 50,  39,
      53,  62,  204, 231, 191, 247, 151, 3,   255, 25,  48,  179, 72,  165, 181, 209, 215, 94,  146, 42,  172, 86,
      170, 198, 79,  184, 56,  210, 150, 164, 125, 182, 118, 252, 107, 226, 156, 116, 4,   241, 69,  157, 112, 89,
      100, 113, 135, 32,  134, 91,  207, 101, 230, 45,  168, 2,   27,  96,  37,  173, 174, 176, 185, 246, 28,  70,
      97,  105, 52,  64,  126, 15,  85,  71,  163, 35,  221, 81,  175, 58,  195, 92,  249, 206, 186, 197, 234, 38,
      44,  83,  13,  110, 133, 40,  132, 9,   211, 223, 205, 244, 65,  129, 77,  82,  106, 220, 55,  200, 108, 193,
      171, 250, 36,  225, 123, 8,   12,  189, 177, 74,  120, 136, 149, 139, 227, 99,  232, 109, 233, 203, 213, 254,
      59,  0,   29,  57,  242, 239, 183, 14,  102, 88,  208, 228, 166, 119, 114, 248, 235, 117, 75,  10,  49,  68,
      80,  180, 143, 237, 31,  26,  219, 153, 141, 51,  159, 17,  131, 20};
  std::vector<std::uint8_t> m(data.begin(), data.end());
  const std::size_t padding = 16 - m.size() % 16;
  m.insert(m.end(), padding, static_cast<std::uint8_t>(padding));
  std::uint8_t checksum[16] = {};
  std::uint8_t last = 0;
  for (std::size_t off = 0; off < m.size(); off += 16)
    for (int j = 0; j < 16; ++j) last = checksum[j] ^= s[m[off + static_cast<std::size_t>(j)] ^ last];
  m.insert(m.end(), checksum, checksum + 16);
  std::uint8_t x[48] = {};
  for (std::size_t off = 0; off < m.size(); off += 16) {
    for (int j = 0; j < 16; ++j) {
      x[16 + j] = m[off + static_cast<std::size_t>(j)];
      x[32 + j] = static_cast<std::uint8_t>(x[16 + j] ^ x[j]);
    }
    std::uint8_t t = 0;
    for (int j = 0; j < 18; ++j) {
      for (int k = 0; k < 48; ++k) t = x[k] ^= s[t];
      t = static_cast<std::uint8_t>(t + j);
    }
  }
  return hex(x, 16);
}

}  // namespace lambkin::rules::detail
