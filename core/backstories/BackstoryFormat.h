#pragma once

#include <QString>

#include <optional>

namespace anthology {

enum class BackstoryFormat { Csv, Jsonl, TextFolder };

// .csv -> Csv, .jsonl/.ndjson -> Jsonl, an existing folder or a path ending in '/' ->
// TextFolder; nullopt otherwise.
std::optional<BackstoryFormat> backstoryFormatForPath(const QString &path);

} // namespace anthology
