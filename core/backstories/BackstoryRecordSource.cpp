#include "backstories/BackstoryRecordSource.h"

#include "backstories/CsvBackstorySource.h"
#include "backstories/JsonlBackstorySource.h"
#include "backstories/TextFolderBackstorySource.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

struct Alias
{
    const char *name;
    BackstoryField field;
    bool canonical;
};

constexpr Alias aliases[] = {
    {"uid", BackstoryField::Uid, true},
    {"backstory", BackstoryField::Backstory, true},
    {"full_passage", BackstoryField::FullPassage, true},
    {"token_count", BackstoryField::TokenCount, true},
    {"num_tokens", BackstoryField::TokenCount, false},
    {"n_tokens", BackstoryField::TokenCount, false},
    {"generated_tokens", BackstoryField::TokenCount, false},
    {"completion_tokens", BackstoryField::TokenCount, false},
    {"logprob", BackstoryField::Logprob, true},
    {"logprobs", BackstoryField::Logprob, false},
    {"sum_logprob", BackstoryField::Logprob, false},
    {"sum_logprobs", BackstoryField::Logprob, false},
    {"total_logprob", BackstoryField::Logprob, false},
    {"model", BackstoryField::Model, true},
    {"model_name", BackstoryField::Model, false},
    {"sampling", BackstoryField::Sampling, true},
    {"sampling_parameters", BackstoryField::Sampling, false},
};

const Alias *findAlias(const QString &name)
{
    for (const Alias &a : aliases) {
        if (name == QLatin1StringView(a.name))
            return &a;
    }
    return nullptr;
}

} // namespace

QList<BackstoryField> backstoryFieldsFor(const QStringList &names)
{
    QList<BackstoryField> fields(names.size(), BackstoryField::Attribute);
    QHash<int, bool> taken;
    // Canonical names first, then aliases in column order.
    for (int pass = 0; pass < 2; ++pass) {
        for (qsizetype i = 0; i < names.size(); ++i) {
            const Alias *a = findAlias(names[i]);
            if (!a || a->canonical != (pass == 0) || taken.contains(int(a->field)))
                continue;
            taken.insert(int(a->field), true);
            fields[i] = a->field;
        }
    }
    return fields;
}

QString canonicalBackstoryColumn(BackstoryField field)
{
    for (const Alias &a : aliases) {
        if (a.field == field && a.canonical)
            return QString::fromLatin1(a.name);
    }
    return {};
}

Result<std::unique_ptr<BackstoryRecordSource>> BackstoryRecordSource::open(const QString &path,
                                                                           BackstoryFormat format)
{
    switch (format) {
    case BackstoryFormat::Csv:
        return CsvBackstorySource::open(path);
    case BackstoryFormat::Jsonl:
        return JsonlBackstorySource::open(path);
    case BackstoryFormat::TextFolder:
        return TextFolderBackstorySource::open(path);
    }
    return Error::internal(u"unknown backstory format"_s);
}

} // namespace anthology
