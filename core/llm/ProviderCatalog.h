#pragma once

#include "util/Result.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace anthology {

class ConfigNode;

// One provider of configs/llm_providers.yaml: how its api_provider name is recognised, where
// it is served, which environment variable holds its key, and its short model names.
struct ProviderEntry
{
    QString name;
    bool matchContains = false; // api_provider containing the name (the reference's rule)
    QUrl baseUrl;
    QString apiKeyEnv;
    std::optional<int> maxN;
    std::optional<int> maxLogprobs;
    QHash<QString, QString> models; // short name -> model id, or "discover"
};

// The table of known providers and short model names, read from our llm_providers.yaml (the
// installed or source configs/ folder, else the copy compiled in). One file, so `config show
// llm_providers` shows exactly what a run resolves through.
class ProviderCatalog
{
public:
    static constexpr const char *fileName = "llm_providers.yaml";
    static constexpr const char *discover = "discover";

    static Result<ProviderCatalog> parse(const ConfigNode &root);
    static Result<ProviderCatalog> load(const QString &path);
    // Ours, read once per process.
    static const Result<ProviderCatalog> &standard();
    // The file standard() reads (a resource path when no configs/ folder is installed).
    static QString standardPath();

    const QList<ProviderEntry> &entries() const { return m_entries; }
    // Exact names first, then the first entry (in file order) whose name api_provider contains.
    const ProviderEntry *match(const QString &apiProvider) const;
    // The provider serving `host` that needs a key, if any.
    const ProviderEntry *forHost(const QString &host) const;
    QStringList names() const;

private:
    QList<ProviderEntry> m_entries;
};

} // namespace anthology
