#pragma once

#include "data/Dataset.h"

#include <QString>
#include <QStringList>

#include <cstdint>

namespace anthology {

struct SyntheticAtpOptions
{
    int respondents = 2500;
    int items = 8; // Likert items, named SYNQ<k>_W<wave>
    int wave = 34;
    std::uint64_t seed = 20240601;
    double refusedRate = 0.02; // share of 99 "Refused" codes in demographics and items
};

// An ATP-shaped data set with our own wording, for tests and the example project: QKEY,
// demographics under the wave's ATP variable names and codes, a positive weight with mean about 1, and Likert
// items driven by one latent factor (so they correlate). 99 means Refused everywhere and is
// declared user-missing. Identical for identical options.
class SyntheticAtpGenerator
{
public:
    explicit SyntheticAtpGenerator(SyntheticAtpOptions options = {});

    Dataset generate() const;

    // The names of the Likert items and of the demographic variables the generator writes;
    // the demographics are named and coded as in the wave's ATP file (and its category map).
    QStringList itemNames() const;
    QStringList demographicNames() const;

private:
    SyntheticAtpOptions m_options;
};

} // namespace anthology
