#pragma once
// S3 buckets and objects as lambkin keeps them: each object's bytes in a file of its own under
// `<root>/objects/` (uploaded parts under `<root>/parts/`), everything else — buckets, keys,
// sizes, ETags, content types, user metadata, multipart uploads — in SQLite (`<root>/s3.sqlite3`).
// A file is written (and fsync'd by rename) before the row that names it, so a crash leaves at
// worst an orphaned file, never a row without its bytes. What a request means is decided by
// core/s3 and the API handler; this class only stores and finds.
//
// Thread safety: one thread (the io_context's).
#include "emulator/core/s3/etag.hpp"
#include "emulator/core/s3/object_listing.hpp"
#include "emulator/io/store/sqlite_db.hpp"
#include "lambkin/clock.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lambkin::io::s3 {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct bucket_info {
  std::string name;
  epoch_ms created = 0;
};

struct object_info {
  std::string bucket, key;
  std::uint64_t size = 0;
  std::string etag;  // quoted, as S3 sends it
  std::string content_type;
  /// Stored headers other than Content-Type (Content-Encoding, Cache-Control, x-amz-meta-*…), lower-case names.
  header_list headers;
  epoch_ms modified = 0;
  std::int64_t file = 0;
};

struct upload_info {
  std::string id, bucket, key, content_type;
  header_list headers;
};

class object_store {
 public:
  /// Opens (creating) the store under `root`; `reset` drops whatever an earlier run stored.
  /// Throws store::sqlite_error or std::filesystem::filesystem_error when it cannot.
  object_store(std::filesystem::path root, bool reset);
  ~object_store();
  object_store(const object_store&) = delete;
  object_store& operator=(const object_store&) = delete;

  // ---- buckets ----
  /// False when the bucket already exists.
  bool create_bucket(const std::string& name, epoch_ms now);
  std::optional<bucket_info> find_bucket(const std::string& name);
  /// Every bucket, by name.
  std::vector<bucket_info> buckets();
  enum class delete_outcome { deleted, missing, not_empty };
  delete_outcome delete_bucket(const std::string& name);

  // ---- objects ----
  /// Stores (or replaces) an object; its ETag is the MD5 of `data`.
  object_info put(const std::string& bucket, const std::string& key, std::string_view data, std::string content_type,
                  header_list headers, epoch_ms now);
  std::optional<object_info> find(const std::string& bucket, const std::string& key);
  /// `length` bytes of the object from `first` (the whole object by default).
  std::string read(const object_info& o, std::uint64_t first = 0, std::optional<std::uint64_t> length = {});
  /// False when there was no such object.
  bool remove(const std::string& bucket, const std::string& key);
  /// Offers the bucket's keys to `page` in order from its seek position; `on_listed` receives
  /// each object the page lists.
  void list(const std::string& bucket, lambkin::s3::listing_page& page,
            const std::function<void(object_info)>& on_listed);

  // ---- multipart uploads ----
  std::string create_upload(const std::string& bucket, const std::string& key, std::string content_type,
                            header_list headers);
  std::optional<upload_info> find_upload(const std::string& id);
  /// Stores (or replaces) part `number`; answers its quoted ETag.
  std::string put_part(const std::string& upload_id, int number, std::string_view data);
  std::optional<lambkin::s3::stored_part> find_part(const std::string& upload_id, int number);
  /// Joins `parts` (checked by core/s3) into the object and ends the upload.
  object_info complete_upload(const upload_info& u, const std::vector<lambkin::s3::stored_part>& parts,
                              epoch_ms now);
  /// Ends the upload and removes its parts; false when there was none.
  bool abort_upload(const std::string& id);

 private:
  std::int64_t new_file_id();
  std::filesystem::path object_path(std::int64_t file) const;
  std::filesystem::path part_path(const std::string& upload, int number) const;
  void write_file(const std::filesystem::path& path, std::string_view data);
  object_info store_row(const std::string& bucket, const std::string& key, std::int64_t file, std::uint64_t size,
                        std::string etag, std::string content_type, header_list headers, epoch_ms now);
  object_info row_to_info(store::statement& s, const std::string& bucket);

  std::filesystem::path root_;
  std::unique_ptr<store::database> db_;
  std::uint64_t upload_counter_ = 0;
};

/// Headers as stored (`name\nvalue\n…`), and back.
std::string encode_headers(const header_list& h);
header_list decode_headers(std::string_view text);

}  // namespace lambkin::io::s3
