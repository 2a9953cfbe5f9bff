#pragma once
// The embedded storage of saved intakes: one SQLite database file.

#include <filesystem>
#include <memory>
#include <string>

#include "intake_store.hpp"

namespace stepcare::server {

/// The database file inside the data folder.
inline constexpr const char* database_file_name = "stepcare.db";

/// Opens (creating when missing) `data_dir/stepcare.db`: the folder is created readable by
/// its owner only, and so is the file; WAL journal with full syncs; the schema brought up
/// to date by its migrations. On failure returns nothing and says why in `error` (naming
/// the path and the fix), for example a database written by a newer Stepcare.
std::unique_ptr<intake_store> open_sqlite_store(const std::filesystem::path& data_dir, std::string& error);

}  // namespace stepcare::server
