// Fibers: resume/suspend order, completion, exceptions, and waiting on asio from a fiber.
#include "engine/datapath/fiber.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/datapath/asio.h"

namespace gwsim::datapath {
namespace {

TEST(Fiber, RunsUntilItSuspendsThenResumesWhereItStopped) {
  StackPool stacks;
  std::string log;
  Fiber* self = nullptr;
  Fiber fiber(stacks, [&] {
    log += "a";
    self->suspend();
    log += "b";
    self->suspend();
    log += "c";
  });
  self = &fiber;
  ASSERT_TRUE(fiber.valid());
  fiber.resume();
  EXPECT_EQ(log, "a");
  EXPECT_FALSE(fiber.finished());
  fiber.resume();
  EXPECT_EQ(log, "ab");
  fiber.resume();
  EXPECT_EQ(log, "abc");
  EXPECT_TRUE(fiber.finished());
  fiber.resume();  // a finished fiber stays finished
  EXPECT_EQ(log, "abc");
}

TEST(Fiber, ManyFibersInterleaveAndStacksAreReused) {
  StackPool stacks(64 * 1024);
  std::vector<int> order;
  for (int round = 0; round < 3; ++round) {
    std::vector<std::unique_ptr<Fiber>> fibers;
    fibers.reserve(20);  // the fibers hold pointers to their slots
    for (int i = 0; i < 20; ++i) {
      auto* slot = &fibers.emplace_back();
      *slot = std::make_unique<Fiber>(stacks, [&order, slot, i] {
        order.push_back(i);
        (*slot)->suspend();
        order.push_back(100 + i);
      });
    }
    for (auto& f : fibers) f->resume();
    for (auto& f : fibers) f->resume();
    for (auto& f : fibers) EXPECT_TRUE(f->finished());
  }
  ASSERT_EQ(order.size(), 120u);
  EXPECT_EQ(order[0], 0);
  EXPECT_EQ(order[19], 19);
  EXPECT_EQ(order[20], 100);
}

TEST(Fiber, ExceptionsStayInsideTheFiber) {
  StackPool stacks;
  Fiber fiber(stacks, [] { throw std::runtime_error("boom"); });
  fiber.resume();
  EXPECT_TRUE(fiber.finished());
}

TEST(Fiber, FloatingPointStateSurvivesSwitches) {
  StackPool stacks;
  double result = 0;
  Fiber* self = nullptr;
  Fiber fiber(stacks, [&] {
    double x = 1.5;
    self->suspend();
    result = x * 2.25;
  });
  self = &fiber;
  fiber.resume();
  fiber.resume();
  EXPECT_DOUBLE_EQ(result, 3.375);
}

TEST(Fiber, AwaitsAsioOperations) {
  asio::io_context io;
  StackPool stacks;
  std::string log;
  Fiber* self = nullptr;
  Fiber fiber(stacks, [&] {
    asio::steady_timer timer(io, std::chrono::milliseconds(1));
    auto [ec] = await_on<error_code>(*self, [&](auto handler) { timer.async_wait(std::move(handler)); });
    log += ec ? "error" : "waited";
    auto [value] = await_on<int>(*self, [&](auto handler) { asio::post(io, [h = std::move(handler)]() mutable { h(42); }); });
    log += " " + std::to_string(value);
  });
  self = &fiber;
  fiber.resume();
  EXPECT_EQ(log, "");
  io.run();
  EXPECT_EQ(log, "waited 42");
  EXPECT_TRUE(fiber.finished());
}

}  // namespace
}  // namespace gwsim::datapath
