// Replays inputs through a fuzz target's LLVMFuzzerTestOneInput without libFuzzer, so the seed
// corpus runs as an ordinary test with any compiler (CI builds with g++):
//   mqtt_codec_corpus_replay fuzz/corpus/mqtt_codec [more files or directories…]
// A failing input aborts (the target's own checks) or trips a sanitizer when built with one.
// Exit 0 after every input ran; 2 when an argument cannot be read or holds no input.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::cout << "replaying " << file.string() << " (" << bytes.size() << " bytes)\n" << std::flush;
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    std::set<std::filesystem::path> files;  // sorted: the same order on every run
    if (std::filesystem::is_directory(arg)) {
      for (const auto& e : std::filesystem::directory_iterator(arg))
        if (e.is_regular_file()) files.insert(e.path());
    } else {
      files.insert(arg);
    }
    for (const auto& f : files) {
      if (!replay(f)) {
        std::cerr << f.string() << ": cannot read\n";
        return 2;
      }
      ++count;
    }
  }
  if (count == 0) {
    std::cerr << "usage: " << argv[0] << " FILE_OR_DIR…  (no input found)\n";
    return 2;
  }
  std::cout << count << " inputs replayed\n";
  return 0;
}
