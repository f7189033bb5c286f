package io.portao.upstream;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTests {

	@Test
	void allowsRatioOfRequestsPlusTheMinimumOverTheWindow() {
		RetryBudget budget = new RetryBudget(new RetryBudgetProperties(0.2, 1, Duration.ofSeconds(10)));
		long now = 1_000_000;
		for (int i = 0; i < 100; i++) {
			budget.deposit(now);
		}
		assertThat(withdrawals(budget, now, 100)).as("20 % of 100 + 1/s × 10 s").isEqualTo(30);
	}

	@Test
	void requestsAndRetriesLeaveTheWindow() {
		RetryBudget budget = new RetryBudget(new RetryBudgetProperties(0.5, 0, Duration.ofSeconds(2)));
		long now = 1_000_000;
		for (int i = 0; i < 10; i++) {
			budget.deposit(now);
		}
		assertThat(withdrawals(budget, now, 100)).isEqualTo(5);
		assertThat(withdrawals(budget, now + 1_000, 100)).as("same window").isZero();
		assertThat(withdrawals(budget, now + 2_000, 100)).as("requests left the window").isZero();
		for (int i = 0; i < 4; i++) {
			budget.deposit(now + 2_000);
		}
		assertThat(withdrawals(budget, now + 2_500, 100)).isEqualTo(2);
	}

	@Test
	void zeroRatioLeavesOnlyTheMinimum() {
		RetryBudget budget = new RetryBudget(new RetryBudgetProperties(0, 2, Duration.ofSeconds(1)));
		budget.deposit(0);
		assertThat(withdrawals(budget, 0, 10)).isEqualTo(2);
	}

	@Test
	void retriesThatGotAnAnswerAreGivenBack() {
		RetryBudget budget = new RetryBudget(new RetryBudgetProperties(0, 1, Duration.ofSeconds(2)));
		long now = 1_000_000;
		assertThat(withdrawals(budget, now, 10)).isEqualTo(2);
		budget.refund(now);
		assertThat(withdrawals(budget, now + 500, 10)).as("one given back").isEqualTo(1);
		for (int i = 0; i < 1000; i++) {
			budget.refund(now + 500);
			assertThat(budget.tryWithdraw(now + 600)).as("failover that succeeds never runs out").isTrue();
		}
	}

	@Test
	void aRefundAfterItsSecondLeftTheWindowChangesNothing() {
		RetryBudget budget = new RetryBudget(new RetryBudgetProperties(0, 1, Duration.ofSeconds(2)));
		assertThat(budget.tryWithdraw(1_000)).isTrue();
		assertThat(withdrawals(budget, 3_000, 10)).isEqualTo(2);
		budget.refund(1_000);
		assertThat(budget.tryWithdraw(3_100)).as("the old retry was in another window").isFalse();
	}

	private static int withdrawals(RetryBudget budget, long now, int max) {
		int n = 0;
		while (n < max && budget.tryWithdraw(now)) {
			n++;
		}
		return n;
	}

}
