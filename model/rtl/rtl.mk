# model/rtl/rtl.mk: the Verilator part (included by the Makefile). Verilates model/rtl/*.v into
# build/rtl-obj (shared by every build; redone only when a .v changes) and links the lockstep
# harness against each build's libcohsim: $(BUILD)/rtl/lockstep. A second verilation with
# COHSIM_RTL_FAULT defined gives build/rtl/lockstep-fault, whose RTL can be told (--fault) to get
# one rule wrong: the test that shows the lockstep catches a difference. The Verilated C++ is
# compiled with -Os: it is small, and compile time is what a test run pays.

VERILATOR    ?= verilator
CXX          ?= g++
RTL_V        := $(sort $(wildcard model/rtl/*.v))
RTL_TOP      := cohsim_lockstep
RTL_OBJ      := build/rtl-obj
RTL_FAULT_OBJ := build/rtl-fault-obj
VERILATOR_INC := $(shell $(VERILATOR) --getenv VERILATOR_ROOT 2>/dev/null)/include
RTL_CXXFLAGS := -std=c++17 -O1 $(DEBUG) -Wall -Wextra -Werror -Wno-unused-parameter -MMD -MP \
                -I. -I$(VERILATOR_INC) -I$(VERILATOR_INC)/vltstd
RTL_RUNTIME  := verilated.o verilated_vcd_c.o verilated_threads.o
RTL_PROGS    := $(BUILD)/rtl/lockstep $(BUILD)/rtl/lockstep-fault

.PHONY: rtl-lint
rtl-lint:
	$(Q)$(VERILATOR) --lint-only -Wall --top-module $(RTL_TOP) $(RTL_V)
	$(Q)$(VERILATOR) --lint-only -Wall +define+COHSIM_RTL_FAULT --top-module $(RTL_TOP) $(RTL_V)

# $(call rtl_model,OBJ_DIR,EXTRA_VERILATOR_FLAGS): one verilation and C++ build of the RTL, with
# VCD support and Verilator's run-time library beside it.
define rtl_model
$(1)/V$(RTL_TOP)__ALL.a: $(RTL_V)
	@mkdir -p $(1)
	@$$(if $$(Q),echo "  VERILATE $(RTL_TOP) $(2)")
	$$(Q)$$(VERILATOR) --cc --build -j 1 -Wall --trace $(2) --top-module $(RTL_TOP) -Mdir $(1) \
	    -CFLAGS -Os $(RTL_V) >$(1)/build.log 2>&1 || { cat $(1)/build.log; exit 1; }
	$$(Q)$$(MAKE) --no-print-directory -C $(1) -f V$(RTL_TOP).mk OPT_FAST=-Os $(RTL_RUNTIME) \
	    >>$(1)/build.log 2>&1 || { cat $(1)/build.log; exit 1; }
	$$(Q)ar rcs $(1)/libverilated.a $(addprefix $(1)/,$(RTL_RUNTIME))
endef
$(eval $(call rtl_model,$(RTL_OBJ),))
$(eval $(call rtl_model,$(RTL_FAULT_OBJ),+define+COHSIM_RTL_FAULT))

RTL_HARNESS_DEPS := model/rtl/harness.cpp model/rtl/harness.h model/rtl/refmodel.h

$(BUILD)/rtl/harness.o: $(RTL_HARNESS_DEPS) $(RTL_OBJ)/V$(RTL_TOP)__ALL.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CXX     $<")
	$(Q)$(CXX) $(RTL_CXXFLAGS) -I$(RTL_OBJ) $(EXTRA_CFLAGS) -c $< -o $@

$(BUILD)/rtl/harness-fault.o: $(RTL_HARNESS_DEPS) $(RTL_FAULT_OBJ)/V$(RTL_TOP)__ALL.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CXX     $< (fault build)")
	$(Q)$(CXX) $(RTL_CXXFLAGS) -I$(RTL_FAULT_OBJ) $(EXTRA_CFLAGS) -c $< -o $@

$(BUILD)/rtl/lockstep: $(BUILD)/sim/rtl/lockstep.o $(BUILD)/rtl/harness.o \
                       $(RTL_OBJ)/V$(RTL_TOP)__ALL.a $(LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CXX) $(LDFLAGS) $(filter %.o,$^) $(RTL_OBJ)/V$(RTL_TOP)__ALL.a \
	    $(RTL_OBJ)/libverilated.a $(LIB) $(LDLIBS) -o $@

$(BUILD)/rtl/lockstep-fault: $(BUILD)/sim/rtl/lockstep.o $(BUILD)/rtl/harness-fault.o \
                             $(RTL_FAULT_OBJ)/V$(RTL_TOP)__ALL.a $(LIB)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CXX) $(LDFLAGS) $(filter %.o,$^) $(RTL_FAULT_OBJ)/V$(RTL_TOP)__ALL.a \
	    $(RTL_FAULT_OBJ)/libverilated.a $(LIB) $(LDLIBS) -o $@
