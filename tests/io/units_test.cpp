#include "sim/io/units.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace continuum::io {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// The message of the std::invalid_argument that parse_quantity throws, or "" when it does not throw.
std::string error_of(std::string_view text, Dimension dimension) {
  try {
    parse_quantity(text, dimension);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(ParseQuantity, ReadsABareNumberAsTheSiUnitOfEveryDimension) {
  for (Dimension d : {Dimension::time, Dimension::data, Dimension::bandwidth, Dimension::power,
                      Dimension::energy, Dimension::rate, Dimension::money, Dimension::money_rate,
                      Dimension::flop, Dimension::flop_rate, Dimension::dimensionless}) {
    EXPECT_DOUBLE_EQ(parse_quantity("2.5", d), 2.5) << dimension_name(d);
    EXPECT_DOUBLE_EQ(parse_quantity("1e3", d), 1000.0) << dimension_name(d);
    EXPECT_DOUBLE_EQ(parse_quantity("+4", d), 4.0) << dimension_name(d);
  }
}

TEST(ParseQuantity, ConvertsTimeUnitsToSeconds) {
  EXPECT_DOUBLE_EQ(parse_quantity("250ns", Dimension::time), 250e-9);
  EXPECT_DOUBLE_EQ(parse_quantity("40us", Dimension::time), 40e-6);
  EXPECT_DOUBLE_EQ(parse_quantity("10ms", Dimension::time), 0.010);
  EXPECT_DOUBLE_EQ(parse_quantity("2.5s", Dimension::time), 2.5);
  EXPECT_DOUBLE_EQ(parse_quantity("30min", Dimension::time), 1800.0);
  EXPECT_DOUBLE_EQ(parse_quantity("2h", Dimension::time), 7200.0);
  EXPECT_DOUBLE_EQ(parse_quantity("1d", Dimension::time), 86400.0);
  EXPECT_DOUBLE_EQ(parse_quantity("3y", Dimension::time), 3 * 365 * 86400.0);
  EXPECT_DOUBLE_EQ(parse_quantity("1e-3 s", Dimension::time), 0.001);  // a space before the unit is fine
}

TEST(ParseQuantity, ConvertsDecimalBinaryAndBitDataUnitsToBytes) {
  EXPECT_DOUBLE_EQ(parse_quantity("512B", Dimension::data), 512.0);
  EXPECT_DOUBLE_EQ(parse_quantity("1kB", Dimension::data), 1e3);
  EXPECT_DOUBLE_EQ(parse_quantity("4.5MB", Dimension::data), 4.5e6);
  EXPECT_DOUBLE_EQ(parse_quantity("4GB", Dimension::data), 4e9);
  EXPECT_DOUBLE_EQ(parse_quantity("2TB", Dimension::data), 2e12);
  EXPECT_DOUBLE_EQ(parse_quantity("1KiB", Dimension::data), 1024.0);
  EXPECT_DOUBLE_EQ(parse_quantity("1MiB", Dimension::data), 1048576.0);
  EXPECT_DOUBLE_EQ(parse_quantity("2GiB", Dimension::data), 2.0 * 1073741824.0);
  EXPECT_DOUBLE_EQ(parse_quantity("1TiB", Dimension::data), 1099511627776.0);
  EXPECT_DOUBLE_EQ(parse_quantity("16b", Dimension::data), 2.0);
  EXPECT_DOUBLE_EQ(parse_quantity("8bits", Dimension::data), 1.0);
  EXPECT_DOUBLE_EQ(parse_quantity("800kb", Dimension::data), 1e5);
  EXPECT_DOUBLE_EQ(parse_quantity("8Mb", Dimension::data), 1e6);
  EXPECT_DOUBLE_EQ(parse_quantity("1Gb", Dimension::data), 1.25e8);
}

TEST(ParseQuantity, ConvertsBandwidthUnitsToBitsPerSecond) {
  EXPECT_DOUBLE_EQ(parse_quantity("9600bps", Dimension::bandwidth), 9600.0);
  EXPECT_DOUBLE_EQ(parse_quantity("64kbps", Dimension::bandwidth), 64e3);
  EXPECT_DOUBLE_EQ(parse_quantity("150Mbps", Dimension::bandwidth), 150e6);
  EXPECT_DOUBLE_EQ(parse_quantity("1Gbps", Dimension::bandwidth), 1e9);
  EXPECT_DOUBLE_EQ(parse_quantity("300b/s", Dimension::bandwidth), 300.0);
  EXPECT_DOUBLE_EQ(parse_quantity("56kb/s", Dimension::bandwidth), 56e3);
  EXPECT_DOUBLE_EQ(parse_quantity("40Mb/s", Dimension::bandwidth), 40e6);
  EXPECT_DOUBLE_EQ(parse_quantity("10Gb/s", Dimension::bandwidth), 10e9);
  // Bytes per second are 8 bits per second.
  EXPECT_DOUBLE_EQ(parse_quantity("100B/s", Dimension::bandwidth), 800.0);
  EXPECT_DOUBLE_EQ(parse_quantity("1kB/s", Dimension::bandwidth), 8e3);
  EXPECT_DOUBLE_EQ(parse_quantity("12.5MB/s", Dimension::bandwidth), 100e6);
  EXPECT_DOUBLE_EQ(parse_quantity("1GB/s", Dimension::bandwidth), 8e9);
}

TEST(ParseQuantity, ConvertsPowerAndEnergyUnits) {
  EXPECT_DOUBLE_EQ(parse_quantity("3.5W", Dimension::power), 3.5);
  EXPECT_DOUBLE_EQ(parse_quantity("500mW", Dimension::power), 0.5);
  EXPECT_DOUBLE_EQ(parse_quantity("1.2kW", Dimension::power), 1200.0);
  EXPECT_DOUBLE_EQ(parse_quantity("10J", Dimension::energy), 10.0);
  EXPECT_DOUBLE_EQ(parse_quantity("2kJ", Dimension::energy), 2000.0);
  EXPECT_DOUBLE_EQ(parse_quantity("2Wh", Dimension::energy), 7200.0);
  EXPECT_DOUBLE_EQ(parse_quantity("1kWh", Dimension::energy), 3.6e6);
  EXPECT_DOUBLE_EQ(parse_quantity("5nJ", Dimension::energy), 5e-9);
}

TEST(ParseQuantity, ReadsRatesAsCountsPerTimeUnit) {
  EXPECT_DOUBLE_EQ(parse_quantity("0.9/s", Dimension::rate), 0.9);
  EXPECT_DOUBLE_EQ(parse_quantity("30/min", Dimension::rate), 0.5);
  EXPECT_DOUBLE_EQ(parse_quantity("36/h", Dimension::rate), 0.01);
  EXPECT_DOUBLE_EQ(parse_quantity("864/d", Dimension::rate), 0.01);
}

TEST(ParseQuantity, ReadsMoneyAsABareNumberAndMoneyRatesPerSecond) {
  EXPECT_DOUBLE_EQ(parse_quantity("75", Dimension::money), 75.0);
  EXPECT_DOUBLE_EQ(parse_quantity("0.75/h", Dimension::money_rate), 0.75 / 3600.0);
  EXPECT_DOUBLE_EQ(parse_quantity("12/d", Dimension::money_rate), 12.0 / 86400.0);
  EXPECT_THAT(error_of("75/h", Dimension::money), HasSubstr("expected a money amount"));
}

TEST(ParseQuantity, ConvertsFlopAndFlopRateUnits) {
  EXPECT_DOUBLE_EQ(parse_quantity("100FLOP", Dimension::flop), 100.0);
  EXPECT_DOUBLE_EQ(parse_quantity("3kFLOP", Dimension::flop), 3e3);
  EXPECT_DOUBLE_EQ(parse_quantity("300MFLOP", Dimension::flop), 3e8);
  EXPECT_DOUBLE_EQ(parse_quantity("2.5GFLOP", Dimension::flop), 2.5e9);
  EXPECT_DOUBLE_EQ(parse_quantity("1TFLOP", Dimension::flop), 1e12);
  EXPECT_DOUBLE_EQ(parse_quantity("10FLOPS", Dimension::flop_rate), 10.0);
  EXPECT_DOUBLE_EQ(parse_quantity("5kFLOPS", Dimension::flop_rate), 5e3);
  EXPECT_DOUBLE_EQ(parse_quantity("7MFLOPS", Dimension::flop_rate), 7e6);
  EXPECT_DOUBLE_EQ(parse_quantity("13.5GFLOPS", Dimension::flop_rate), 13.5e9);
  EXPECT_DOUBLE_EQ(parse_quantity("2TFLOPS", Dimension::flop_rate), 2e12);
  EXPECT_DOUBLE_EQ(parse_quantity("2TFLOP/s", Dimension::flop_rate), 2e12);
  EXPECT_DOUBLE_EQ(parse_quantity("4GFLOP/s", Dimension::flop_rate), 4e9);
}

TEST(ParseQuantity, ReadsPercentagesAsFractions) {
  EXPECT_DOUBLE_EQ(parse_quantity("25%", Dimension::dimensionless), 0.25);
}

TEST(ParseQuantity, NamesTheExpectedDimensionWithAnExampleAndTheOneGiven) {
  EXPECT_EQ(error_of("10ms", Dimension::bandwidth),
            "expected a bandwidth such as 150Mbps, 1Gbps or 12.5MB/s (bare number: bit/s); got \"10ms\", "
            "which is a "
            "time");
  EXPECT_THAT(error_of("4MB", Dimension::time),
              AllOf(HasSubstr("expected a time such as 10ms"), HasSubstr("which is a data size")));
  EXPECT_THAT(error_of("2GFLOP", Dimension::flop_rate), HasSubstr("which is a FLOP count"));
  EXPECT_THAT(error_of("5W", Dimension::energy), HasSubstr("expected an energy such as"));
  EXPECT_THAT(error_of("1/s", Dimension::time), HasSubstr("which is a rate"));
}

TEST(ParseQuantity, RejectsUnknownUnitsAndTextThatIsNotANumber) {
  EXPECT_THAT(error_of("10 parsecs", Dimension::time),
              HasSubstr("whose unit \"parsecs\" is unknown; time units: ns, us, µs, ms, s, min, h, d, y"));
  EXPECT_THAT(
      error_of("0.1/hour", Dimension::money_rate),
      HasSubstr(
          "unknown; money rate units: a number per time unit: /ns, /us, /µs, /ms, /s, /min, /h, /d, /y"));
  EXPECT_THAT(error_of("fast", Dimension::time), HasSubstr("got \"fast\", which is not a number"));
  EXPECT_THAT(error_of("", Dimension::data), HasSubstr("which is not a number"));
  EXPECT_THAT(error_of("ms", Dimension::time), HasSubstr("which is not a number"));
}

TEST(ParseQuantity, RefusesNanInfinityAndOverflow) {
  EXPECT_THAT(error_of("nan", Dimension::time), HasSubstr("not a finite number"));
  EXPECT_THAT(error_of("inf", Dimension::rate), HasSubstr("not a finite number"));
  EXPECT_THAT(error_of("-infs", Dimension::time), HasSubstr("not a finite number"));
  EXPECT_THAT(error_of(".inf", Dimension::time), HasSubstr("not a number"));  // YAML's spelling
  EXPECT_THAT(error_of("1e400", Dimension::time), HasSubstr("out of range"));
  EXPECT_THAT(error_of("1e308y", Dimension::time), HasSubstr("out of range"));
}

TEST(ParseQuantity, CallsTheUppercaseKilobyteAmbiguous) {
  EXPECT_THAT(error_of("64KB", Dimension::data), HasSubstr("write kB for 1000 bytes or KiB for 1024 bytes"));
}

TEST(ParseQuantity, KeepsTheSignForTheFieldToJudge) {
  EXPECT_DOUBLE_EQ(parse_quantity("-5ms", Dimension::time), -0.005);
}

TEST(ParseQuantity, IsCaseSensitiveBetweenBytesAndBits) {
  EXPECT_DOUBLE_EQ(parse_quantity("1MB", Dimension::data) / parse_quantity("1Mb", Dimension::data), 8.0);
  EXPECT_THAT(error_of("1mb", Dimension::data), HasSubstr("unknown"));
}

}  // namespace
}  // namespace continuum::io
