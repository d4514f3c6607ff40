#include "bench/side_by_side.hpp"

#include <algorithm>
#include <stdexcept>

namespace lambkin::bench {

std::vector<latency_summary> measure_side_by_side(const std::vector<timed_subject>& subjects, int samples,
                                                  int block) {
  std::vector<std::vector<double>> times(subjects.size());
  for (auto& t : times) t.reserve(static_cast<std::size_t>(samples));
  for (int done = 0; done < samples; done += block) {
    const int n = std::min(block, samples - done);
    for (std::size_t s = 0; s < subjects.size(); ++s) {
      for (int i = 0; i < n; ++i) {
        const auto t0 = wall::now();
        if (!subjects[s].op(*subjects[s].client))
          throw std::runtime_error("a request failed during the latency measurement");
        times[s].push_back(micros_between(t0, wall::now()));
      }
    }
  }
  std::vector<latency_summary> out;
  for (auto& t : times) out.push_back(summarize(std::move(t)));
  return out;
}

}  // namespace lambkin::bench
