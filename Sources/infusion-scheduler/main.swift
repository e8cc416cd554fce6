print("infusion-scheduler")
