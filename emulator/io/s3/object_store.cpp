#include "emulator/io/s3/object_store.hpp"

#include "emulator/io/s3/md5.hpp"

#include <fstream>
#include <random>

namespace lambkin::io::s3 {
namespace fs = std::filesystem;
using store::statement_use;

namespace {

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS buckets(
  name TEXT PRIMARY KEY,
  created_ms INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS objects(
  bucket TEXT NOT NULL,
  key BLOB NOT NULL,
  file INTEGER NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  content_type TEXT NOT NULL,
  headers TEXT NOT NULL,
  modified_ms INTEGER NOT NULL,
  PRIMARY KEY(bucket, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files(id INTEGER PRIMARY KEY AUTOINCREMENT);
CREATE TABLE IF NOT EXISTS uploads(
  id TEXT PRIMARY KEY,
  bucket TEXT NOT NULL,
  key BLOB NOT NULL,
  content_type TEXT NOT NULL,
  headers TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS parts(
  upload TEXT NOT NULL,
  number INTEGER NOT NULL,
  etag TEXT NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY(upload, number)) WITHOUT ROWID;
)sql";

std::string text(const store::statement& s, int i) { return std::string(s.column_blob(i)); }

}  // namespace

std::string encode_headers(const header_list& h) {
  std::string out;
  for (const auto& [k, v] : h) out += k + "\n" + v + "\n";
  return out;
}

header_list decode_headers(std::string_view t) {
  header_list out;
  while (!t.empty()) {
    const auto a = t.find('\n');
    if (a == std::string_view::npos) break;
    const auto b = t.find('\n', a + 1);
    if (b == std::string_view::npos) break;
    out.emplace_back(std::string(t.substr(0, a)), std::string(t.substr(a + 1, b - a - 1)));
    t.remove_prefix(b + 1);
  }
  return out;
}

object_store::object_store(fs::path root, bool reset) : root_(std::move(root)) {
  if (reset) fs::remove_all(root_);
  fs::create_directories(root_ / "objects");
  fs::create_directories(root_ / "parts");
  db_ = std::make_unique<store::database>((root_ / "s3.sqlite3").string());
  db_->exec(schema);
}

object_store::~object_store() = default;

bool object_store::create_bucket(const std::string& name, epoch_ms now) {
  auto& s = db_->prepare("INSERT OR IGNORE INTO buckets(name, created_ms) VALUES(?, ?)");
  statement_use use(s);
  s.bind_text(1, name).bind(2, now).run();
  return db_->changes() == 1;
}

std::optional<bucket_info> object_store::find_bucket(const std::string& name) {
  auto& s = db_->prepare("SELECT created_ms FROM buckets WHERE name = ?");
  statement_use use(s);
  s.bind_text(1, name);
  if (!s.step()) return std::nullopt;
  return bucket_info{name, s.column_int(0)};
}

std::vector<bucket_info> object_store::buckets() {
  auto& s = db_->prepare("SELECT name, created_ms FROM buckets ORDER BY name");
  statement_use use(s);
  std::vector<bucket_info> out;
  while (s.step()) out.push_back({text(s, 0), s.column_int(1)});
  return out;
}

object_store::delete_outcome object_store::delete_bucket(const std::string& name) {
  if (!find_bucket(name)) return delete_outcome::missing;
  {
    auto& s = db_->prepare("SELECT 1 FROM objects WHERE bucket = ? LIMIT 1");
    statement_use use(s);
    s.bind_text(1, name);
    if (s.step()) return delete_outcome::not_empty;
  }
  std::vector<std::string> uploads;
  {
    auto& s = db_->prepare("SELECT id FROM uploads WHERE bucket = ?");
    statement_use use(s);
    s.bind_text(1, name);
    while (s.step()) uploads.push_back(text(s, 0));
  }
  for (const auto& u : uploads) abort_upload(u);  // S3 would refuse; lambkin tidies up instead
  auto& s = db_->prepare("DELETE FROM buckets WHERE name = ?");
  statement_use use(s);
  s.bind_text(1, name).run();
  return delete_outcome::deleted;
}

std::int64_t object_store::new_file_id() {
  auto& s = db_->prepare("INSERT INTO files DEFAULT VALUES");
  statement_use use(s);
  s.run();
  return db_->last_insert_rowid();
}

fs::path object_store::object_path(std::int64_t file) const { return root_ / "objects" / std::to_string(file); }

fs::path object_store::part_path(const std::string& upload, int number) const {
  return root_ / "parts" / (upload + "." + std::to_string(number));
}

void object_store::write_file(const fs::path& path, std::string_view data) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.flush();
    if (!out) throw fs::filesystem_error("cannot write", tmp, std::make_error_code(std::errc::io_error));
  }
  fs::rename(tmp, path);
}

object_info object_store::store_row(const std::string& bucket, const std::string& key, std::int64_t file,
                                    std::uint64_t size, std::string etag, std::string content_type,
                                    header_list headers, epoch_ms now) {
  std::optional<std::int64_t> replaced;
  if (auto old = find(bucket, key)) replaced = old->file;
  auto& s = db_->prepare(
      "INSERT OR REPLACE INTO objects(bucket, key, file, size, etag, content_type, headers, modified_ms) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
  statement_use use(s);
  s.bind_text(1, bucket)
      .bind_blob(2, key)
      .bind(3, file)
      .bind(4, static_cast<std::int64_t>(size))
      .bind_text(5, etag)
      .bind_text(6, content_type)
      .bind_text(7, encode_headers(headers))
      .bind(8, now)
      .run();
  std::error_code ec;
  if (replaced) fs::remove(object_path(*replaced), ec);
  return object_info{bucket, key, size, std::move(etag), std::move(content_type), std::move(headers), now, file};
}

object_info object_store::put(const std::string& bucket, const std::string& key, std::string_view data,
                              std::string content_type, header_list headers, epoch_ms now) {
  const auto file = new_file_id();
  write_file(object_path(file), data);
  return store_row(bucket, key, file, data.size(), lambkin::s3::etag_of_digest(md5_digest(data)),
                   std::move(content_type), std::move(headers), now);
}

object_info object_store::row_to_info(store::statement& s, const std::string& bucket) {
  object_info o;
  o.bucket = bucket;
  o.key = text(s, 0);
  o.file = s.column_int(1);
  o.size = static_cast<std::uint64_t>(s.column_int(2));
  o.etag = text(s, 3);
  o.content_type = text(s, 4);
  o.headers = decode_headers(s.column_blob(5));
  o.modified = s.column_int(6);
  return o;
}

std::optional<object_info> object_store::find(const std::string& bucket, const std::string& key) {
  auto& s = db_->prepare(
      "SELECT key, file, size, etag, content_type, headers, modified_ms FROM objects WHERE bucket = ? AND key = ?");
  statement_use use(s);
  s.bind_text(1, bucket).bind_blob(2, key);
  if (!s.step()) return std::nullopt;
  return row_to_info(s, bucket);
}

std::string object_store::read(const object_info& o, std::uint64_t first, std::optional<std::uint64_t> length) {
  const std::uint64_t n = length.value_or(o.size - std::min(first, o.size));
  std::string out(n, '\0');
  std::ifstream in(object_path(o.file), std::ios::binary);
  in.seekg(static_cast<std::streamoff>(first));
  in.read(out.data(), static_cast<std::streamsize>(n));
  if (!in) throw fs::filesystem_error("cannot read", object_path(o.file), std::make_error_code(std::errc::io_error));
  return out;
}

bool object_store::remove(const std::string& bucket, const std::string& key) {
  auto old = find(bucket, key);
  if (!old) return false;
  auto& s = db_->prepare("DELETE FROM objects WHERE bucket = ? AND key = ?");
  statement_use use(s);
  s.bind_text(1, bucket).bind_blob(2, key).run();
  std::error_code ec;
  fs::remove(object_path(old->file), ec);
  return true;
}

void object_store::list(const std::string& bucket, lambkin::s3::listing_page& page,
                        const std::function<void(object_info)>& on_listed) {
  auto& s = db_->prepare(page.inclusive_seek()
                             ? "SELECT key, file, size, etag, content_type, headers, modified_ms FROM objects "
                               "WHERE bucket = ? AND key >= ? ORDER BY key"
                             : "SELECT key, file, size, etag, content_type, headers, modified_ms FROM objects "
                               "WHERE bucket = ? AND key > ? ORDER BY key");
  statement_use use(s);
  s.bind_text(1, bucket).bind_blob(2, page.seek());
  while (s.step()) {
    const auto v = page.offer(s.column_blob(0));
    if (v == lambkin::s3::listing_page::verdict::stop) break;
    if (v == lambkin::s3::listing_page::verdict::listed) on_listed(row_to_info(s, bucket));
  }
}

std::string object_store::create_upload(const std::string& bucket, const std::string& key, std::string content_type,
                                        header_list headers) {
  static std::mt19937_64 random{std::random_device{}()};
  const std::string id = lambkin::s3::to_hex(std::to_string(random())) + std::to_string(++upload_counter_);
  auto& s = db_->prepare("INSERT INTO uploads(id, bucket, key, content_type, headers) VALUES(?, ?, ?, ?, ?)");
  statement_use use(s);
  s.bind_text(1, id).bind_text(2, bucket).bind_blob(3, key).bind_text(4, content_type).bind_text(5, encode_headers(headers)).run();
  return id;
}

std::optional<upload_info> object_store::find_upload(const std::string& id) {
  auto& s = db_->prepare("SELECT bucket, key, content_type, headers FROM uploads WHERE id = ?");
  statement_use use(s);
  s.bind_text(1, id);
  if (!s.step()) return std::nullopt;
  return upload_info{id, text(s, 0), text(s, 1), text(s, 2), decode_headers(s.column_blob(3))};
}

std::string object_store::put_part(const std::string& upload_id, int number, std::string_view data) {
  write_file(part_path(upload_id, number), data);
  const std::string etag = lambkin::s3::etag_of_digest(md5_digest(data));
  auto& s = db_->prepare("INSERT OR REPLACE INTO parts(upload, number, etag, size) VALUES(?, ?, ?, ?)");
  statement_use use(s);
  s.bind_text(1, upload_id).bind(2, number).bind_text(3, etag).bind(4, static_cast<std::int64_t>(data.size())).run();
  return etag;
}

std::optional<lambkin::s3::stored_part> object_store::find_part(const std::string& upload_id, int number) {
  auto& s = db_->prepare("SELECT etag, size FROM parts WHERE upload = ? AND number = ?");
  statement_use use(s);
  s.bind_text(1, upload_id).bind(2, number);
  if (!s.step()) return std::nullopt;
  return lambkin::s3::stored_part{number, text(s, 0), static_cast<std::uint64_t>(s.column_int(1))};
}

object_info object_store::complete_upload(const upload_info& u, const std::vector<lambkin::s3::stored_part>& parts,
                                          epoch_ms now) {
  const auto file = new_file_id();
  const fs::path target = object_path(file);
  const fs::path tmp = target.string() + ".tmp";
  std::uint64_t size = 0;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    for (const auto& p : parts) {
      std::ifstream in(part_path(u.id, p.number), std::ios::binary);
      out << in.rdbuf();
      size += p.size;
    }
    out.flush();
    if (!out) throw fs::filesystem_error("cannot write", tmp, std::make_error_code(std::errc::io_error));
  }
  fs::rename(tmp, target);
  const std::string etag =
      lambkin::s3::multipart_etag(md5_digest(lambkin::s3::part_digests(parts)), parts.size());
  auto info = store_row(u.bucket, u.key, file, size, etag, u.content_type, u.headers, now);
  abort_upload(u.id);
  return info;
}

bool object_store::abort_upload(const std::string& id) {
  if (!find_upload(id)) return false;
  std::vector<int> numbers;
  {
    auto& s = db_->prepare("SELECT number FROM parts WHERE upload = ?");
    statement_use use(s);
    s.bind_text(1, id);
    while (s.step()) numbers.push_back(static_cast<int>(s.column_int(0)));
  }
  std::error_code ec;
  for (int n : numbers) fs::remove(part_path(id, n), ec);
  {
    auto& s = db_->prepare("DELETE FROM parts WHERE upload = ?");
    statement_use use(s);
    s.bind_text(1, id).run();
  }
  auto& s = db_->prepare("DELETE FROM uploads WHERE id = ?");
  statement_use use(s);
  s.bind_text(1, id).run();
  return true;
}

}  // namespace lambkin::io::s3
